using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Tests.Support;

/// <summary>Catalog files written for a test: the shipped text, changed, or with the worked example's new row and schedule.</summary>
public static class CatalogFiles
{
    /// <summary>The <c>calendar</c> exporter of the original (27 July) as a row, and a schedule that runs it: docs/catalog.md's example.</summary>
    public const string CalendarRowAndSchedule = CalendarRow + """

        [schedules.phase6-calendar]
        calendar = { hours = [4], minute = 30 }
        types = ["calendar"]
        overlap = "skip"
        catchup_window = "1h"
        note = "4:30 AM ET: the calendar's game counts."

        """;

    /// <summary>The <c>calendar</c> row alone: a constant argument (<c>days_back = 30</c>) and a fixed object.</summary>
    public const string CalendarRow = """

        [types.calendar]
        kind = "external"
        date = "none"
        policy = "one-document"
        objects = [{ path = "v1/calendar/game-counts.json", cache_control = "public, max-age=1800" }]
        call = { module = "data_processors.publishing.calendar_exporter", class = "CalendarExporter", method = "export", kwargs = { days_back = { const = 30 } } }
        """;

    /// <summary>grading-complete with its shipped date and condition, running the calendar row under that condition.</summary>
    public const string GradingCompleteRunsCalendar = """

        [events.grading-complete]
        path = "/pubsub/grading-complete"
        verb = "grading-complete"
        date = { fields = ["target_date", "graded_date"] }
        fields = { status = "string", graded_count = { type = "integer", default = 0 } }
        runs = [{ row = "calendar", when = [{ field = "status", equals = "success" }, { field = "graded_count", above = 0 }] }]

        """;

    /// <summary>The shipped export-request event reduced to its list form: the types its message lists.</summary>
    public const string ExportRequestEvent = """

        [events.export-request]
        path = "/pubsub/export-request"
        verb = "export-request"
        date = { fields = ["target_date"], default = "yesterday" }
        runs_from = "export_types"

        """;

    public static string Shipped => ExportCatalog.ShippedText();

    /// <summary>
    /// The catalog as first shipped (frozen in the repository), without the original's later types: the base the
    /// worked example's new row is added to, as a user did before the catalog followed the original's newest code.
    /// </summary>
    public static string FirstShipped { get; } = File.ReadAllText(RepositoryFiles.PathOf("src", "Workflows", "Catalog", "Recorded", "exportflows-570aefc.toml"));

    public static string WithCalendar => FirstShipped + CalendarRowAndSchedule;

    /// <summary>The shipped text with each (old, new) replaced once; fails when an old text is not there.</summary>
    public static string ShippedWith(params (string Old, string New)[] edits)
    {
        var text = Shipped;
        foreach (var (old, replacement) in edits)
        {
            var at = text.IndexOf(old, StringComparison.Ordinal);
            Assert.True(at >= 0, $"the shipped catalog has no '{old}'");
            text = text[..at] + replacement + text[(at + old.Length)..];
        }
        return text;
    }

    public static string Write(TempFolder temp, string name, string text)
    {
        var path = temp.Sub(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The 1-based line of the first line of <paramref name="text"/> containing <paramref name="fragment"/>.</summary>
    public static int LineOf(string text, string fragment)
    {
        var index = Array.FindIndex(text.Split('\n'), l => l.Contains(fragment, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no line contains '{fragment}'");
        return index + 1;
    }
}
