using System.Text.Json;
using ExportFlows.Activities.Sample;
using ExportFlows.Activities.Storage;
using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Cli;

[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ExportCliTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Out => _temp.Sub("out");

    [Fact]
    public async Task Export_SampleWarehouse_WritesFourDocumentsWithCacheControl()
    {
        var result = await CliRunner.RunAsync("export", "--in-process", "--date", "2026-02-03", "--as-of", "2026-02-03",
            "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + Out, "--now", "2026-02-03T15:00:00Z");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("4 of 4 exports written", result.Output, StringComparison.Ordinal);
        var store = new LocalFolderObjectStore(Out);
        var expected = new Dictionary<string, string>
        {
            ["v1/picks/2026-02-03.json"] = "public, max-age=300",
            ["v1/signals/2026-02-03.json"] = "public, max-age=300",
            ["v1/subsets/performance.json"] = "public, max-age=3600",
            ["v1/systems/subsets.json"] = "public, max-age=86400",
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), (await store.ListAsync("")).Select(o => o.Name));
        foreach (var (name, cacheControl) in expected)
        {
            var metadata = await store.GetMetadataAsync(name);
            Assert.Equal(cacheControl, metadata!.CacheControl);
            Assert.Equal("application/json", metadata.ContentType);
            using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(store.PathOf(name)));
            Assert.Equal("2026-02-03T15:00:00.000000+00:00", doc.RootElement.GetProperty("generated_at").GetString());
            Assert.Equal("926A", doc.RootElement.GetProperty("model").GetString());
        }
    }

    [Fact]
    public async Task Export_JsonReport_ListsEveryTypeWithObjectAndBytes()
    {
        var result = await CliRunner.RunAsync("export", "--in-process", "--date", "2026-01-20", "--types", "subset-picks,daily-signals,subset-picks", "--json",
            "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + Out);

        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.Output);
        var exports = report.RootElement.GetProperty("exports").EnumerateArray().ToList();
        Assert.Equal(["subset-picks", "daily-signals"], exports.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(["v1/picks/2026-01-20.json", "v1/signals/2026-01-20.json"], exports.Select(e => e.GetProperty("objectName").GetString()));
        Assert.All(exports, e => Assert.Equal(new FileInfo(Path.Combine(Out, e.GetProperty("objectName").GetString()!)).Length, e.GetProperty("bytes").GetInt64()));
    }

    [Theory]
    [InlineData("invalid date '2026-13-01'", "--date", "2026-13-01")]
    [InlineData("invalid date '../x'", "--date", "../x")]
    [InlineData("invalid as-of date 'tomorrow'", "--as-of", "tomorrow")]
    [InlineData("unknown export type 'subset-pix'; did you mean 'subset-picks'?; valid names: subset-picks,", "--types", "subset-pix")]
    [InlineData("tonight is an external type: the worker of the original exporters serves them through Temporal; run with --temporal HOST:PORT", "--types", "tonight")]
    [InlineData("results, best-bets are external types", "--types", "results,best-bets,subset-picks")]
    public async Task Export_BadInput_OneLineErrorExitTwoNothingWritten(string message, string option, string value)
    {
        var result = await CliRunner.RunAsync("export", "--in-process", option, value, "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + Out);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: " + message, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public async Task Export_MissingTableFile_NamesFileExitTwoNothingWritten()
    {
        var warehouse = _temp.Sub("warehouse");
        SampleDataGenerator.Generate(warehouse, new SampleDataOptions(new DateOnly(2026, 1, 1), 5, 1));
        File.Delete(Path.Combine(warehouse, "nba_analytics.player_game_summary.csv"));

        var result = await CliRunner.RunAsync("export", "--in-process", "--date", "2026-01-03", "--warehouse", "duckdb:" + warehouse, "--store", "dir:" + Out);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("missing table nba_analytics.player_game_summary", line, StringComparison.Ordinal);
        Assert.Contains("nba_analytics.player_game_summary.csv", line, StringComparison.Ordinal);
        Assert.Empty(_temp.Files("out"));
    }

    [Fact]
    public async Task Export_MissingColumn_NamesColumnAndFile()
    {
        var warehouse = _temp.Sub("warehouse");
        Directory.CreateDirectory(warehouse);
        await File.WriteAllTextAsync(Path.Combine(warehouse, "nba_predictions.daily_prediction_signals.csv"), "game_date,system_id,pct_over\n2026-01-01,catboost_v9,30.0\n");

        var result = await CliRunner.RunAsync("export", "--in-process", "--date", "2026-01-01", "--types", "daily-signals", "--warehouse", "duckdb:" + warehouse, "--store", "dir:" + Out);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("has no column 'high_edge_picks', 'skew_category', 'daily_signal'", result.Error, StringComparison.Ordinal);
        Assert.Empty(_temp.Files("out"));
    }

    [Fact]
    public async Task Export_BigQuery400_OneLineErrorExitOneNothingWritten()
    {
        await using var server = new FakeBigQueryServer { InvalidQueryMessage = "Unrecognized name: daily_signal at [1:8]" };
        await server.StartAsync();
        foreach (var table in ExportFlows.Activities.Warehouse.WarehouseTable.All)
        {
            server.Tables[table.QualifiedName] = table.Columns.Keys.ToArray();
        }
        Environment.SetEnvironmentVariable("ExportFlows__BigQueryEndpoint", server.BaseUri.ToString());
        try
        {
            var result = await CliRunner.RunAsync("export", "--in-process", "--date", "2026-02-03", "--types", "daily-signals", "--warehouse", "bigquery:test-project", "--store", "dir:" + Out);

            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal("error: daily-signals: BigQuery error 400 (invalidQuery): Unrecognized name: daily_signal at [1:8]", line);
            Assert.Empty(_temp.Files("out"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("ExportFlows__BigQueryEndpoint", null);
        }
    }

    [Fact]
    public async Task Export_UnreadableCredentials_NamesFileExitTwo()
    {
        await using var server = new FakeBigQueryServer();
        await server.StartAsync();
        var credentials = _temp.Sub("bad-credentials.json");
        await File.WriteAllTextAsync(credentials, "{ not json");
        Environment.SetEnvironmentVariable("ExportFlows__BigQueryEndpoint", server.BaseUri.ToString());
        try
        {
            var result = await CliRunner.RunAsync("export", "--in-process", "--types", "daily-signals", "--warehouse", "bigquery:test-project",
                "--credentials", credentials, "--store", "dir:" + Out);

            Assert.Equal(2, result.ExitCode);
            Assert.StartsWith($"error: unreadable Google credentials from credentials file '{credentials}'", result.Error, StringComparison.Ordinal);
            Assert.Empty(server.Requests);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ExportFlows__BigQueryEndpoint", null);
        }
    }

    [Fact]
    public async Task Export_DateWithoutPredictions_WarnsAndSaysWhy()
    {
        var empty = await CliRunner.RunAsync("export", "--in-process", "--types", "subset-picks,daily-signals", "--date", "2026-06-01",
            "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + Out);
        var full = await CliRunner.RunAsync("export", "--in-process", "--types", "subset-picks,daily-signals", "--date", "2026-01-20",
            "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + Out);

        Assert.Equal(0, empty.ExitCode);
        Assert.Contains("warning: the warehouse has no active prediction of catboost_v9 for 2026-06-01", empty.Error, StringComparison.Ordinal);
        Assert.Contains("the date 2026-06-01 lies after the data the warehouse holds (nba_predictions.player_prop_predictions has predictions of catboost_v9 " +
            "from 2026-01-01 to 2026-02-09): pass --date in that range, e.g. --date 2026-02-09", empty.Error, StringComparison.Ordinal);
        Assert.Equal(0, full.ExitCode);
        Assert.DoesNotContain("warning:", full.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ReadmesFirstCommandTwice_TextReportSaysWhySkippedAndNamesTheCatalog()
    {
        // Tables last changed an hour ago: unchanged since any read this test makes (the skip rule allows 2 minutes of skew).
        var warehouse = _temp.CopyOfTables(ExportHarness.SampleWarehouse);
        foreach (var table in Directory.GetFiles(warehouse))
        {
            File.SetLastWriteTimeUtc(table, DateTime.UtcNow.AddHours(-1));
        }
        string[] args = ["export", "--in-process", "--date", "2026-02-03", "--as-of", "2026-02-03", "--warehouse", "duckdb:" + warehouse, "--store", "dir:" + Out];
        Assert.Equal(0, (await CliRunner.RunAsync(args)).ExitCode);

        var again = await CliRunner.RunAsync(args);

        Assert.Equal(0, again.ExitCode);
        var lines = again.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^subset-definitions +v1/systems/subsets\.json +0 .* skipped$", lines.Single(l => l.StartsWith("subset-definitions ", StringComparison.Ordinal)));
        // The reason the result carries, whatever its wording, under the table.
        var reason = lines.Single(l => l.StartsWith("subset-definitions:", StringComparison.Ordinal));
        Assert.Matches("^subset-definitions: skipped: .{10,}$", reason);
        Assert.Contains($"catalog: fingerprint {ExportFlows.Workflows.Catalog.ExportCatalog.Shipped.Fingerprint}", lines);
    }

    [Fact]
    public async Task Export_AsOfAfterTheWarehousesData_NamesTheRangeAndAsOfNotAllowEmpty()
    {
        var first = await CliRunner.RunAsync("export", "--in-process", "--types", "subset-performance", "--as-of", "2026-02-05", "--now", "2026-02-05T15:00:00Z",
            "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + Out);
        var before = await File.ReadAllBytesAsync(Path.Combine(Out, "v1", "subsets", "performance.json"));

        var late = await CliRunner.RunAsync("export", "--in-process", "--types", "subset-performance", "--as-of", "2026-12-07", "--now", "2026-12-07T15:00:00Z",
            "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + Out);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(1, late.ExitCode);
        Assert.Contains("error: subset-performance: v1/subsets/performance.json: the as-of date 2026-12-07 lies after the data the warehouse holds " +
            "(nba_predictions.player_prop_predictions has predictions of catboost_v9 from 2026-01-01 to 2026-02-09): pass --as-of in that range, e.g. --as-of 2026-02-09",
            late.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("--allow-empty", late.Error + late.Output, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(Out, "v1", "subsets", "performance.json")));
    }

    [TemporalFact]
    public async Task Export_TemporalAddress_RunsWorkflowAndPrintsWorkflowId()
    {
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, Out);
        var taskQueue = TemporalTestServer.NewTaskQueue();
        using var worker = new Temporalio.Worker.TemporalWorker(TemporalTestServer.Client,
            ExportFlows.Worker.Temporal.ExportWorkerRegistration.Apply(new Temporalio.Worker.TemporalWorkerOptions(taskQueue), harness.Activities));
        var result = await worker.ExecuteAsync(() => CliRunner.RunAsync("export", "--date", "2026-01-20", "--types", "daily-signals",
            "--temporal", TemporalTestServer.Client.Connection.Options.TargetHost!, "--task-queue", taskQueue)).Within();

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("workflow: phase6-export-2026-01-20-", result.Output, StringComparison.Ordinal);
        Assert.Contains($"worker store: dir:{Out}; worker warehouse: duckdb:{ExportHarness.SampleWarehouse}", result.Output, StringComparison.Ordinal);
        Assert.Matches($"started workflow phase6-export-2026-01-20-[0-9a-f]{{32}} on task queue {taskQueue}", result.Error);
        Assert.True(File.Exists(Path.Combine(Out, "v1/signals/2026-01-20.json")));
    }

    [Fact]
    public async Task SampleData_SameSeed_SameBytes()
    {
        var first = await CliRunner.RunAsync("sample-data", "--out", _temp.Sub("a"), "--from", "2026-01-01", "--days", "3", "--seed", "5");
        var second = await CliRunner.RunAsync("sample-data", "--out", _temp.Sub("b"), "--from", "2026-01-01", "--days", "3", "--seed", "5");

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal(6, _temp.Files("a").Count);
        foreach (var file in _temp.Files("a"))
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_temp.Sub("a"), file)), await File.ReadAllBytesAsync(Path.Combine(_temp.Sub("b"), file)));
        }
    }

    public void Dispose() => _temp.Dispose();
}
