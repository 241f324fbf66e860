using System.Text;
using ExportFlows.Activities.Exporters;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Exporters;

/// <summary>
/// Each exporter against Fixtures/hand, whose expected documents were computed by hand. What the fixture exercises:
/// 2026-02-10 (GREEN, pct_over 40.0 = the balanced upper bound): delta 10.05 → 10.1 (half away from zero on the stored
/// value) with composite 115.495 first; alpha and bravo tie at 100.0 (alpha first by player_lookup); alpha's second
/// active row (composite 90) is dropped as a duplicate; echo PASS, foxtrot no line, golf no team, hotel's inactive row,
/// and the catboost_v8 row are excluded; charlie's summary row has no team so the context supplies BOS/MIA while its
/// points still come from the summary; india is pre-game and takes the first context row (ATL before BOS);
/// delta's 91.99 misses premium's 0.92 (= 92) bound, hotel's 92.00 meets it; india's 85 meets the any-subset's 85.
/// History: 2026-02-09 RED (kilo win, lima loss, mike push, november ungraded), 2026-01-12 (oscar loss, no signal
/// row: only ANY passes), 2026-01-11 = D − 30 (papa win), 2026-01-10 = D − 31 and the season start (quebec loss);
/// romeo on 2025-07-15 is before 1 August and not in the season.
/// Worked stats: Alternative 1 of 2 → ROI 100 × (0.909 − 1) / 2 = −4.55 → −4.6; Top 3 season 4 of 7 → 57.1 and
/// 100 × (4 × 0.909 − 3) / 7 = 9.09 → 9.1; Top 3 last 30 days 3 of 5 → 14.54 → 14.5.
/// </summary>
public sealed class HandFixtureExporterTests : IDisposable
{
    private static readonly DateTimeOffset GeneratedAt = new(2026, 2, 10, 17, 30, 0, TimeSpan.Zero);
    private static readonly DateOnly D = new(2026, 2, 10);
    private readonly TempFolder _store = new();
    private readonly ExportHarness _harness;

    public HandFixtureExporterTests() => _harness = new ExportHarness(ExportHarness.HandFixture, _store.Path);

    private static ExportJob Job(string type, DateOnly? target = null, DateOnly? asOf = null) => new(type, target, asOf, GeneratedAt);

    private async Task<string> ExportAsync(SubsetExporter exporter, ExportJob job)
    {
        var written = await exporter.ExportAsync(job, 1, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(_harness.Store.PathOf(written.ObjectName));
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "documents are UTF-8 without BOM");
        Assert.Equal(bytes.Length, written.Bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    [Fact]
    public async Task SubsetPicksExporter_HandFixture_MatchesHandComputedDocument()
    {
        var text = await ExportAsync(_harness.Exporter<SubsetPicksExporter>(), Job("subset-picks", D));
        Assert.Equal(ExportHarness.Expected("picks-2026-02-10.json"), text);
    }

    [Fact]
    public async Task SubsetPerformanceExporter_HandFixture_MatchesHandComputedDocument()
    {
        var text = await ExportAsync(_harness.Exporter<SubsetPerformanceExporter>(), Job("subset-performance", asOf: D));
        Assert.Equal(ExportHarness.Expected("performance-2026-02-10.json"), text);
    }

    [Fact]
    public async Task SubsetDefinitionsExporter_HandFixture_ListsNamedActiveSubsetsOnly()
    {
        var text = await ExportAsync(_harness.Exporter<SubsetDefinitionsExporter>(), Job("subset-definitions"));
        Assert.Equal(ExportHarness.Expected("subsets.json"), text);
        Assert.Contains(_harness.Logs.Messages, m => m.StartsWith("Warning", StringComparison.Ordinal) && m.Contains("v9_mystery", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2026-02-10")] // GREEN / BALANCED
    [InlineData("2026-02-09")] // RED / UNDER_HEAVY
    [InlineData("2026-02-08")] // NULL signal, unknown skew, NULL high_edge_picks
    [InlineData("2026-01-11")] // no row: note
    public async Task DailySignalsExporter_HandFixture_MatchesHandComputedDocument(string date)
    {
        var text = await ExportAsync(_harness.Exporter<DailySignalsExporter>(), Job("daily-signals", ExportDates.Parse(date, "date")));
        Assert.Equal(ExportHarness.Expected($"signals-{date}.json"), text);
    }

    [Fact]
    public async Task SubsetPicksExporter_SameInputsTwice_SameBytesWrittenOnce()
    {
        var exporter = _harness.Exporter<SubsetPicksExporter>();
        var first = await ExportAsync(exporter, Job("subset-picks", D));
        var second = await ExportAsync(exporter, Job("subset-picks", D));
        Assert.Equal(first, second);
        var metadata = await _harness.Store.GetMetadataAsync("v1/picks/2026-02-10.json");
        Assert.Equal("public, max-age=300", metadata!.CacheControl);
        Assert.Equal("application/json", metadata.ContentType);
        // The second run finds its own document already published: nothing is rewritten.
        Assert.Equal("1", metadata.Generation);
    }

    [Fact]
    public async Task SubsetPicksExporter_BackfilledOldDate_StatsAnchoredOnThatDate()
    {
        // On 2026-01-11 the window [12-12, 01-10] holds only quebec's loss: Top Pick 0 of 1 → 0.0 / −100.0.
        var text = await ExportAsync(_harness.Exporter<SubsetPicksExporter>(), Job("subset-picks", new DateOnly(2026, 1, 11)));
        using var doc = System.Text.Json.JsonDocument.Parse(text);
        var top = doc.RootElement.GetProperty("groups")[0];
        Assert.Equal("1", top.GetProperty("id").GetString());
        Assert.Equal("0.0", top.GetProperty("stats").GetProperty("hit_rate").GetRawText());
        Assert.Equal("-100.0", top.GetProperty("stats").GetProperty("roi").GetRawText());
        Assert.Equal("papa", top.GetProperty("picks")[0].GetProperty("player").GetString());
    }

    public void Dispose()
    {
        _harness.Dispose();
        _store.Dispose();
    }
}
