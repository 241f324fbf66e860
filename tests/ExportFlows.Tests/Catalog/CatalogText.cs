using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Tests.Catalog;

/// <summary>A small valid catalog to break one thing at a time, and where in it each error must be reported.</summary>
public static class CatalogText
{
    public const string Source = "test-catalog.toml";

    /// <summary>Native implementations a test build "registers".</summary>
    public static readonly IReadOnlySet<string> Implementations = new HashSet<string>(StringComparer.Ordinal) { "subset-picks" };

    public const string Valid = """
        version = 1
        orchestrator = ["picks", "scores"]

        [policies.short]
        start_to_close = "1m"
        schedule_to_close = "10m"
        retry = { initial_interval = "5s", backoff = 2.0, maximum_interval = "1m", maximum_attempts = 3 }

        [types.picks]
        kind = "native"
        implementation = "subset-picks"
        date = "target"
        policy = "short"
        objects = [{ path = "v1/picks/{date}.json", cache_control = "public, max-age=300" }]

        [types.scores]
        kind = "external"
        date = "target"
        policy = "short"
        objects = [{ path = "v1/scores/{date}.json", cache_control = "public, max-age=30" }]
        options = { min_games = { default = 5, minimum = 1, maximum = 82 } }
        call = { module = "data_processors.publishing.scores_exporter", class = "ScoresExporter", method = "export", args = ["target_date"], kwargs = { update_latest = "update_latest" } }

        [groups]
        all = ["picks", "scores"]

        [schedules.nightly]
        calendar = { hours = [5], minute = 0 }
        types = ["all"]
        date = "yesterday"
        overlap = "skip"
        catchup_window = "1h"

        [publication.models]
        catboost_v9 = "926A"

        [publication.subsets]
        top1 = { id = 1, name = "Top Pick", description = "Single best pick" }
        top3 = { id = 2, name = "Top 3", description = "Top 3 picks" }
        """;

    /// <summary><see cref="Valid"/> with each (old, new) replacement made; each old text must occur exactly once.</summary>
    public static string With(params (string Old, string New)[] edits) => Edit(Valid, edits);

    /// <summary><paramref name="text"/> with each (old, new) replacement made; each old text must occur exactly once.</summary>
    public static string Edit(string text, params (string Old, string New)[] edits)
    {
        foreach (var (old, replacement) in edits)
        {
            var first = text.IndexOf(old, StringComparison.Ordinal);
            Assert.True(first >= 0 && text.IndexOf(old, first + 1, StringComparison.Ordinal) < 0, $"'{old}' must occur exactly once");
            text = text.Replace(old, replacement, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>The 1-based line of the first line of <paramref name="text"/> containing <paramref name="fragment"/>.</summary>
    public static int LineOf(string text, string fragment)
    {
        var lines = text.Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(fragment, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{fragment}' is not in the text");
        return index + 1;
    }

    /// <summary>Two types of the original added after the shipped catalog (issue 19): a constant argument, and a dict of named paths.</summary>
    public const string NewTypeRows = Support.CatalogFiles.CalendarRow + """

        [types.best-bets-record]
        kind = "external"
        date = "target"
        policy = "one-document"
        objects = [
          { path = "v1/best-bets/record.json", cache_control = "public, max-age=300" },
          { path = "v1/best-bets/history.json", cache_control = "public, max-age=300" },
        ]
        call = { module = "data_processors.publishing.best_bets_record_exporter", class = "BestBetsRecordExporter", method = "export", args = ["target_date"] }
        """;

    /// <summary>The first shipped catalog with <see cref="NewTypeRows"/> appended, as a worker would load the edited file.</summary>
    public static ExportCatalog ShippedWithNewTypes { get; } =
        ExportCatalogParser.ParseOrThrow(Support.CatalogFiles.FirstShipped + NewTypeRows, "exportflows-with-new-types.toml", ExportFlows.Activities.Exporters.NativeExporters.Names);

    public static CatalogParseResult Parse(string text, IReadOnlySet<string>? implementations = null) =>
        ExportCatalogParser.Parse(text, Source, implementations ?? Implementations);

    /// <summary>The one error of <paramref name="text"/>.</summary>
    public static CatalogError SingleError(string text, IReadOnlySet<string>? implementations = null)
    {
        var result = Parse(text, implementations);
        Assert.Null(result.Catalog);
        return Assert.Single(result.Errors);
    }
}
