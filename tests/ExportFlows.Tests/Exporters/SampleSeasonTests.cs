using System.Text;
using System.Text.Json;
using ExportFlows.Activities.Sample;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Exporters;

/// <summary>Every document of the sample season: no leaks, stable bytes, pre-game picks present.</summary>
public sealed class SampleSeasonTests : IDisposable
{
    private static readonly string[] InternalIdentifiers =
    [
        "catboost", "ensemble_v1", "system_id", "subset_id", "confidence_score", "composite", "edge", "prediction_id", "v9_", "v8_",
        "min_confidence", "min_edge", "pct_over", "signal_condition", "0.92", "nba_predictions", "nba_analytics",
    ];

    // Internal signal colours, checked case-sensitively ("prediction" contains "red").
    private static readonly string[] SignalColours = ["GREEN", "YELLOW", "RED"];

    private static readonly HashSet<string> PublicKeys =
    [
        "date", "generated_at", "model", "groups", "id", "name", "stats", "hit_rate", "roi", "days", "picks", "player", "team", "opponent",
        "prediction", "line", "direction", "signal", "metrics", "conditions", "note", "windows", "last_7_days", "last_30_days", "season",
        "start_date", "end_date", "description",
    ];

    private readonly TempFolder _store = new();

    [Fact]
    public async Task Export_EveryDateOfSampleSeason_NoInternalIdentifierInAnyDocument()
    {
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, _store.Path);
        var season = ExportHarness.SampleSeason;
        var now = new DateTimeOffset(2026, 2, 10, 12, 0, 0, TimeSpan.Zero);
        for (var date = season.From; date <= season.To; date = date.AddDays(1))
        {
            var text = ExportDates.ToText(date);
            var report = await harness.Engine.RunAsync(new ExportRequest(["subset-picks", "daily-signals"], text), now, CancellationToken.None);
            Assert.True(report.Succeeded, report.Summary());
        }
        var last = ExportDates.ToText(season.To);
        Assert.True((await harness.Engine.RunAsync(new ExportRequest(["subset-performance", "subset-definitions"], AsOf: last), now, CancellationToken.None)).Succeeded);
        var files = _store.Files().Where(f => f.EndsWith(".json", StringComparison.Ordinal) && !f.StartsWith('.')).ToList();
        Assert.Equal(2 * season.Days + 2, files.Count);
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(_store.Sub(file));
            foreach (var term in InternalIdentifiers)
            {
                Assert.False(text.Contains(term, StringComparison.OrdinalIgnoreCase) && !IsPlayerName(text, term), $"{file} contains '{term}'");
            }
            foreach (var colour in SignalColours)
            {
                Assert.DoesNotContain(colour, text, StringComparison.Ordinal);
            }
            using var doc = JsonDocument.Parse(text);
            AssertKeysArePublic(doc.RootElement, file);
        }
    }

    [Fact]
    public async Task Export_PreGameDate_PicksPublishedFromContext()
    {
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, _store.Path);
        var lastDate = ExportDates.ToText(ExportHarness.SampleSeason.To);
        var report = await harness.Engine.RunAsync(new ExportRequest(["subset-picks"], lastDate), DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.True(report.Succeeded);
        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(_store.Sub($"v1/picks/{lastDate}.json")));
        var allPicks = doc.RootElement.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("id").GetString() == "7");
        Assert.True(allPicks.GetProperty("picks").GetArrayLength() > 0, "pre-game picks must not be empty (the original's P1)");
    }

    [Fact]
    public async Task Export_SameRequestTwice_SameBytesApartFromGeneratedAt()
    {
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, _store.Path);
        var date = ExportDates.ToText(ExportHarness.SampleSeason.From.AddDays(20));
        var snapshots = new List<Dictionary<string, string>>();
        foreach (var now in new[] { new DateTimeOffset(2026, 2, 1, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 1, 13, 0, 0, 123, TimeSpan.Zero) })
        {
            await harness.Engine.RunAsync(new ExportRequest(["subset-all"], date, date), now, CancellationToken.None);
            snapshots.Add(_store.Files("v1").ToDictionary(f => f, f => WithoutGeneratedAt(File.ReadAllText(_store.Sub("v1/" + f)))));
        }
        Assert.Equal(snapshots[0], snapshots[1]);
        Assert.Contains("\"generated_at\": \"2026-02-01T13:00:00.123000+00:00\"", File.ReadAllText(_store.Sub("v1/systems/subsets.json")), StringComparison.Ordinal);
    }

    private static string WithoutGeneratedAt(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "\"generated_at\": \"[^\"]+\"", "\"generated_at\": \"\"");

    // A registry name may legitimately contain a short term (e.g. "Redick"); such hits are checked to be names.
    private static bool IsPlayerName(string text, string term)
    {
        using var doc = JsonDocument.Parse(text);
        var names = new List<string>();
        Collect(doc.RootElement, names);
        var withoutNames = names.Aggregate(new StringBuilder(text), (sb, n) => sb.Replace(n, "")).ToString();
        return !withoutNames.Contains(term, StringComparison.OrdinalIgnoreCase);
    }

    private static void Collect(JsonElement element, List<string> names)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "player")
                {
                    names.Add(property.Value.GetString()!);
                }
                Collect(property.Value, names);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, names);
            }
        }
    }

    private static void AssertKeysArePublic(JsonElement element, string file)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                Assert.True(PublicKeys.Contains(property.Name), $"{file}: key '{property.Name}' is not public");
                AssertKeysArePublic(property.Value, file);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                AssertKeysArePublic(item, file);
            }
        }
    }

    public void Dispose() => _store.Dispose();
}
