using System.Text.Json;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Cli;
using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Tests.Scheduling;

/// <summary><c>status</c> names the catalog in use; a catalog file that does not validate is exit 3 with every error named.</summary>
public sealed class StatusCatalogTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Store => "dir:" + _temp.Sub("out");

    [Fact]
    public async Task Status_CatalogFileDoesNotValidate_ExitThreeNamingFileLineAndKey()
    {
        var text = CatalogFiles.ShippedWith(("implementation = \"subset-picks\"", "implementation = \"subset-pics\""));
        var file = CatalogFiles.Write(_temp, "edited.toml", text);

        var result = await CliRunner.RunAsync("status", "--catalog", file, "--store", Store, "--date", "2026-02-10");

        Assert.Equal(ExitCodes.Unhealthy, result.ExitCode);
        var lines = result.Output.TrimEnd('\n').Split('\n');
        Assert.StartsWith($"{file}:{CatalogFiles.LineOf(text, "subset-pics")}: types.subset-picks.implementation: no native exporter 'subset-pics'", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"catalog {file} does not validate (1 error): a running worker keeps the last valid catalog it read", lines[^1], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public async Task StatusJson_CatalogFileDoesNotValidate_ErrorsInTheDocumentExitThree()
    {
        var text = CatalogFiles.ShippedWith(("maximum_attempts = 6", "maximum_attempts = -6"));
        var file = CatalogFiles.Write(_temp, "edited.toml", text);

        var result = await CliRunner.RunAsync("status", "--catalog", file, "--store", Store, "--json");

        Assert.Equal(ExitCodes.Unhealthy, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        var catalog = doc.RootElement.GetProperty("catalog");
        Assert.Equal(JsonValueKind.Null, catalog.GetProperty("fingerprint").ValueKind);
        var error = catalog.GetProperty("errors")[0];
        Assert.Equal((file, CatalogFiles.LineOf(text, "-6"), "types.subset-picks.policy.retry.maximum_attempts"),
            (error.GetProperty("source").GetString(), error.GetProperty("line").GetInt32(), error.GetProperty("key").GetString()));
        Assert.Equal(0, doc.RootElement.GetProperty("endpoints").GetArrayLength());
        Assert.Contains("does not validate", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ValidCatalogFile_FirstLineNamesItAndItsFingerprint()
    {
        var file = CatalogFiles.Write(_temp, "calendar.toml", CatalogFiles.WithCalendar);

        var text = await CliRunner.RunAsync("status", "--catalog", file, "--store", Store, "--date", "2026-02-10");
        var json = await CliRunner.RunAsync("status", "--catalog", file, "--store", Store, "--date", "2026-02-10", "--json");

        var fingerprint = ExportCatalogParser.Fingerprint(CatalogFiles.WithCalendar);
        Assert.Equal($"catalog {file}, fingerprint {fingerprint}", text.Output.Split('\n')[0]);
        // Nothing was exported into the empty store: missing documents, exit 3 for them, not for the catalog.
        Assert.Equal(ExitCodes.Unhealthy, text.ExitCode);
        Assert.Contains("v1/picks/2026-02-10.json  MISSING", text.Output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Output);
        Assert.Equal((file, fingerprint, 0), (doc.RootElement.GetProperty("catalog").GetProperty("source").GetString(),
            doc.RootElement.GetProperty("catalog").GetProperty("fingerprint").GetString(), doc.RootElement.GetProperty("catalog").GetProperty("errors").GetArrayLength()));
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary><c>status</c> prints what refreshes each endpoint, events with their conditions, in text and JSON.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class StatusRefreshedByCliTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Status_TypeRefreshedOnlyByAnEvent_TextAndJsonNameTheEventAndItsCondition()
    {
        var file = CatalogFiles.Write(_temp, "calendar.toml", CatalogFiles.FirstShipped + CatalogFiles.CalendarRow + CatalogFiles.GradingCompleteRunsCalendar);
        var store = "dir:" + _temp.Sub("out");
        Environment.SetEnvironmentVariable("ExportFlows__EnabledTypes", "subset-all,calendar");
        CliResult text, json;
        try
        {
            text = await CliRunner.RunAsync("status", "--catalog", file, "--store", store, "--date", "2026-02-10", "--now", "2026-02-11T15:00:00Z");
            json = await CliRunner.RunAsync("status", "--catalog", file, "--store", store, "--date", "2026-02-10", "--now", "2026-02-11T15:00:00Z", "--json");
        }
        finally
        {
            Environment.SetEnvironmentVariable("ExportFlows__EnabledTypes", null);
        }

        Assert.Contains("\nv1/calendar/game-counts.json  MISSING  not written yet; refreshed by event grading-complete\n" +
            "  updated: never; refreshed by: event: grading-complete (when status == \"success\" and graded_count > 0)\n" +
            "  next: none (no schedule)\n", text.Output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Output);
        var calendar = doc.RootElement.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "calendar");
        Assert.Equal("event: grading-complete (when status == \"success\" and graded_count > 0)", calendar.GetProperty("refresh").GetString());
        var by = Assert.Single(calendar.GetProperty("refreshedBy").EnumerateArray());
        Assert.Equal(("runs", "grading-complete", "when status == \"success\" and graded_count > 0"),
            (by.GetProperty("kind").GetString(), by.GetProperty("name").GetString(), by.GetProperty("condition").GetString()));
        Assert.Equal(ExitCodes.Unhealthy, json.ExitCode);
    }

    public void Dispose() => _temp.Dispose();
}
