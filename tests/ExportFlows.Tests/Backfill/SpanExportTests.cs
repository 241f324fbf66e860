using ExportFlows.Activities;
using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Tests.Backfill;

/// <summary>Span exports write exactly the documents single-date exports write, from far fewer reads.</summary>
public sealed class SpanExportTests : IDisposable
{
    private static readonly DateTimeOffset GeneratedAt = new(2026, 2, 10, 17, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _temp = new();

    private static SpanExportRequest Request(string from, string to, params string[] types) =>
        new(types.Length == 0 ? BackfillPlanner.DefaultTypes(ExportCatalog.Shipped) : types, from, to, GeneratedAt);

    private static SpanExportService Spans(ExportHarness harness) => new(harness.Exporters, harness.Reader, harness.Settings, NullLogger<SpanExportService>.Instance);

    [Fact]
    public async Task ExportAsync_EverySampleSeasonDate_ByteIdenticalToSingleDateExports()
    {
        var season = ExportHarness.SampleSeason;
        using var single = new ExportHarness(ExportHarness.SampleWarehouse, _temp.Sub("single"));
        for (var date = season.From; date <= season.To; date = date.AddDays(1))
        {
            foreach (var type in BackfillPlanner.DefaultTypes(ExportCatalog.Shipped))
            {
                await single.Activities.RunAsync(ExportCatalog.Shipped.Get(type), new ExportJob(type, date, null, GeneratedAt), 1, CancellationToken.None);
            }
        }
        using var span = new ExportHarness(ExportHarness.SampleWarehouse, _temp.Sub("span"));
        var spans = Spans(span);
        foreach (var part in BackfillSpans.Split(BackfillPlanner.Dates(season.From, season.To), 31))
        {
            var result = await spans.ExportAsync(Request(ExportDates.ToText(part.From), ExportDates.ToText(part.To)), null, 1, false, _ => { }, CancellationToken.None);
            Assert.All(result.Dates, d => Assert.True(d.Succeeded, d.Error));
        }

        var expected = _temp.Files("single/v1");
        Assert.Equal(2 * season.Days, expected.Count);
        Assert.Equal(expected, _temp.Files("span/v1"));
        foreach (var file in expected)
        {
            Assert.Equal(await File.ReadAllBytesAsync(_temp.Sub("single/v1/" + file)), await File.ReadAllBytesAsync(_temp.Sub("span/v1/" + file)));
        }
    }

    [Fact]
    public async Task ExportAsync_ThirtyOneDateSpanOnBigQuery_AtMostFourQueryJobs()
    {
        using var backend = new DuckDbWarehouse(ExportHarness.SampleWarehouse, NullLogger<DuckDbWarehouse>.Instance);
        await using var server = new FakeBigQueryServer { Backend = backend };
        await server.StartAsync();
        using var harness = new ExportHarness(null, _temp.Sub("bq"), new ExportFlowsOptions { Warehouse = "bigquery:test-project", BigQueryEndpoint = server.BaseUri.ToString(), CredentialsFile = null });
        var season = ExportHarness.SampleSeason;

        var result = await Spans(harness).ExportAsync(Request(ExportDates.ToText(season.From), ExportDates.ToText(season.From.AddDays(30))), null, 1, false, _ => { }, CancellationToken.None);

        Assert.Equal(31, result.Dates.Count(d => d.Succeeded && d.Written == 2));
        Assert.InRange(server.Jobs, 1, 4);
        using var local = new ExportHarness(ExportHarness.SampleWarehouse, _temp.Sub("local"));
        var date = season.From.AddDays(20);
        await local.Activities.RunAsync(ExportCatalog.Shipped.Get("subset-picks"), new ExportJob("subset-picks", date, null, GeneratedAt), 1, CancellationToken.None);
        var name = $"v1/picks/{ExportDates.ToText(date)}.json";
        Assert.Equal(await File.ReadAllTextAsync(_temp.Sub("local/" + name)), await File.ReadAllTextAsync(_temp.Sub("bq/" + name)));
    }

    [Fact]
    public async Task ExportAsync_SeasonOnBigQuery_AtMostTwentyQueryJobs()
    {
        using var backend = new DuckDbWarehouse(ExportHarness.SampleWarehouse, NullLogger<DuckDbWarehouse>.Instance);
        await using var server = new FakeBigQueryServer { Backend = backend };
        await server.StartAsync();
        using var harness = new ExportHarness(null, _temp.Sub("bq"), new ExportFlowsOptions { Warehouse = "bigquery:test-project", BigQueryEndpoint = server.BaseUri.ToString() });
        var spans = Spans(harness);
        var season = ExportHarness.SampleSeason;
        var dates = 0;
        foreach (var part in BackfillSpans.Split(BackfillPlanner.Dates(season.From, season.To), 31))
        {
            dates += (await spans.ExportAsync(Request(ExportDates.ToText(part.From), ExportDates.ToText(part.To)), null, 1, false, _ => { }, CancellationToken.None)).Dates.Count;
        }

        Assert.Equal(season.Days, dates);
        Assert.InRange(server.Jobs, 1, 20);
        Assert.Equal(3 * BackfillSpans.Split(BackfillPlanner.Dates(season.From, season.To), 31).Count, server.Jobs);
    }

    [Fact]
    public async Task ExportAsync_CheckpointMidSpan_ExportsOnlyTheRestAndKeepsEarlierOutcomes()
    {
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, _temp.Sub("out"));
        var earlier = new BackfillDateOutcome("2026-01-05", true, 2, 0);
        var checkpoints = new List<SpanCheckpoint>();

        var result = await Spans(harness).ExportAsync(Request("2026-01-05", "2026-01-07"), new SpanCheckpoint("2026-01-05", [earlier]), 2, false, checkpoints.Add, CancellationToken.None);

        Assert.Equal(["2026-01-05", "2026-01-06", "2026-01-07"], result.Dates.Select(d => d.Date));
        Assert.Equal(["picks/2026-01-06.json", "picks/2026-01-07.json", "signals/2026-01-06.json", "signals/2026-01-07.json"], _temp.Files("out/v1"));
        Assert.Equal(["2026-01-06", "2026-01-07"], checkpoints.Select(c => c.LastFinished));
        Assert.Equal(3, checkpoints[^1].Outcomes.Count);
    }

    [Fact]
    public async Task ExportAsync_CancelledAfterFirstDate_ReturnsWhatWasWritten()
    {
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, _temp.Sub("out"));
        using var cancel = new CancellationTokenSource();

        var result = await Spans(harness).ExportAsync(Request("2026-01-05", "2026-01-09"), null, 1, false, _ => cancel.Cancel(), cancel.Token);

        Assert.Equal(["2026-01-05"], result.Dates.Select(d => d.Date));
        Assert.Equal(["picks/2026-01-05.json", "signals/2026-01-05.json"], _temp.Files("out/v1"));
    }

    [Fact]
    public async Task ExportAsync_NonRetryableFailureOfOneDate_RecordedAndOtherDatesWritten()
    {
        var warehouse = _temp.CopyOfTables(ExportHarness.SampleWarehouse);
        using (var before = new ExportHarness(warehouse, _temp.Sub("out")))
        {
            await before.Activities.RunAsync(ExportCatalog.Shipped.Get("daily-signals"), new ExportJob("daily-signals", new DateOnly(2026, 1, 6), null, GeneratedAt.AddDays(-1)), 1, CancellationToken.None);
        }
        var signals = Path.Combine(warehouse, "nba_predictions.daily_prediction_signals.csv");
        await File.WriteAllLinesAsync(signals, File.ReadAllLines(signals).Where(l => !l.Contains("2026-01-06", StringComparison.Ordinal)));
        using var harness = new ExportHarness(warehouse, _temp.Sub("out"));

        var result = await Spans(harness).ExportAsync(Request("2026-01-05", "2026-01-07", "daily-signals"), null, 1, lastAttempt: false, _ => { }, CancellationToken.None);

        Assert.Equal([true, false, true], result.Dates.Select(d => d.Succeeded));
        Assert.Equal(ExportErrorTypes.EmptyInput, result.Dates[1].ErrorType);
        Assert.Contains("daily-signals: ", result.Dates[1].Error, StringComparison.Ordinal);
        Assert.Equal([1, 0, 1], result.Dates.Select(d => d.Written));
    }

    [Fact]
    public async Task ExportAsync_FourSpans_UnnamedSubsetWarnedOnce()
    {
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, _temp.Sub("out"));
        var spans = Spans(harness);
        foreach (var (from, to) in new[] { ("2026-01-01", "2026-01-02"), ("2026-01-03", "2026-01-04"), ("2026-01-05", "2026-01-06"), ("2026-01-07", "2026-01-07") })
        {
            await spans.ExportAsync(Request(from, to, "subset-picks"), null, 1, false, _ => { }, CancellationToken.None);
        }

        Assert.Single(harness.Logs.Messages, m => m.Contains("has no public name", StringComparison.Ordinal));
    }

    public void Dispose() => _temp.Dispose();
}
