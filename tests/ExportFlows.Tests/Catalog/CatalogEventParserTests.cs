using ExportFlows.Workflows.Catalog;
using static ExportFlows.Tests.Catalog.CatalogText;

namespace ExportFlows.Tests.Catalog;

/// <summary>Events: read as written, and every mistake named with its line and key.</summary>
public sealed class CatalogEventParserTests
{
    private static CatalogError OneError(string text, int line, string key)
    {
        var error = SingleError(text);
        Assert.Equal((line, key), (error.Line, error.Key));
        return error;
    }

    /// <summary>The line of grading-complete's <c>runs = [</c>, where errors inside its entries are reported.</summary>
    private static int RunsLine => LineOf(EventCatalogText.Valid, "{ row = \"picks\"") - 1;

    private static int GradingLine(int offset) => LineOf(EventCatalogText.Valid, "[events.grading-complete]") + offset;

    [Fact]
    public void Parse_ThreeEvents_ReadEveryKey()
    {
        var catalog = Parse(EventCatalogText.Valid).Catalog!;

        Assert.Equal(["predictions-complete", "export-request", "grading-complete"], catalog.Events.Select(e => e.Name));
        var predictions = catalog.FindEvent("predictions-complete")!;
        Assert.Equal(("/pubsub/predictions-complete", "predictions-complete", true, null), (predictions.Path, predictions.Verb, predictions.RunsOrchestrator, predictions.Date.Default));
        Assert.Equal(["game_date"], predictions.Date.Fields);

        var request = catalog.FindEvent("export-request")!;
        Assert.Equal(("export_types", "nba", "yesterday"), (request.RunsFrom, request.Sport, request.Date.Default));
        Assert.Equal(new EventField(EventFieldType.Bool, "true"), request.Fields["update_latest"]);
        Assert.Equal(new EventField(EventFieldType.String, "\"scheduled\""), request.Fields["correlation_id"]);
        Assert.Equal(new EventField(EventFieldType.String, null), request.Fields["trigger_source"]);
        Assert.Equal("players", request.Flag!.Field);
        Assert.Equal(["scores"], request.Flag.Runs);
        Assert.Equal(["min_games"], request.Flag.Options);

        var grading = catalog.FindEvent("grading-complete")!;
        Assert.Equal(["target_date", "graded_date"], grading.Date.Fields);
        Assert.Equal(["picks", "scores", "all"], grading.Runs.Select(r => r.Name));
        Assert.Equal("picks when status == \"success\" and graded_count > 0", grading.Runs[0].ToString());
        Assert.Equal("scores when status in [\"success\", \"partial\"]", grading.Runs[1].ToString());
        Assert.Empty(grading.Runs[2].When);
        Assert.Equal("after grading", grading.Note);
    }

    [Fact]
    public void Parse_CatalogWithoutEvents_HasNone()
    {
        Assert.Empty(Parse(CatalogText.Valid).Catalog!.Events);
    }

    [Fact]
    public void Parse_TwoEventsOnOnePath_NamesTheFirst()
    {
        var text = EventCatalogText.With(("path = \"/pubsub/grading-complete\"", "path = \"/pubsub/export-request\""));
        var error = OneError(text, GradingLine(1), "events.grading-complete.path");
        Assert.Contains("also the path of event export-request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoEventsWithOneVerb_Refused()
    {
        var error = OneError(EventCatalogText.With(("verb = \"grading-complete\"", "verb = \"export-request\"")), GradingLine(2), "events.grading-complete.verb");
        Assert.Contains("also the verb of event export-request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownRowInRuns_NamesIt()
    {
        var error = OneError(EventCatalogText.With(("  \"all\",", "  \"everything\",")), RunsLine, "events.grading-complete.runs");
        Assert.Contains("unknown row or group 'everything'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ConditionOnAFieldTheEventDoesNotProvide_Refused()
    {
        var error = OneError(EventCatalogText.With(("{ field = \"status\", in =", "{ field = \"state\", in =")), RunsLine, "events.grading-complete.runs (scores).when");
        Assert.Contains("a condition on 'state', which the event does not provide", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ field = \"graded_count\", above = 0 }", "{ field = \"status\", above = 0 }", "above compares integer or number fields")]
    [InlineData("{ field = \"status\", equals = \"success\" }", "{ field = \"status\", equals = 1 }", "equals needs a string")]
    [InlineData("{ field = \"status\", in = [\"success\", \"partial\"] }", "{ field = \"status\", in = [] }", "in needs a non-empty array of strings")]
    [InlineData("{ field = \"graded_count\", above = 0 }", "{ field = \"graded_count\", above = 0, equals = 1 }", "one of equals, above, in")]
    [InlineData("{ field = \"graded_count\", above = 0 }", "{ field = \"graded_count\", below = 0 }", "one of equals, above, in")]
    public void Parse_BadCondition_NamesTheProblem(string old, string replacement, string expected)
    {
        var error = SingleError(EventCatalogText.With((old, replacement)));
        Assert.Equal(RunsLine, error.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RunEntryAfterEarlierEntries_ReadsTheOrder()
    {
        var catalog = Parse(EventCatalogText.With(("\"all\",", "{ row = \"all\", after = [\"picks\", \"scores\"] },"))).Catalog!;
        var all = catalog.FindEvent("grading-complete")!.Runs[2];

        Assert.Equal(["picks", "scores"], all.After);
        Assert.Empty(all.When);
        Assert.Equal("all after picks, scores", all.ToString());
    }

    [Theory]
    [InlineData("{ row = \"all\", after = [\"later\"] },", "'later' is no entry listed before all")]
    [InlineData("{ row = \"all\", after = [] },", "expected a non-empty array of entries of this event listed before it")]
    [InlineData("{ row = \"all\", after = \"picks\" },", "expected a non-empty array of entries of this event listed before it")]
    [InlineData("{ row = \"all\", before = [\"picks\"] },", "unknown key 'before' in a run entry; expected row, when, after")]
    public void Parse_BadAfter_NamesTheProblem(string replacement, string expected)
    {
        var error = SingleError(EventCatalogText.With(("\"all\",", replacement)));
        Assert.Equal(RunsLine, error.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AfterAnEntryListedBelow_Refused()
    {
        var text = EventCatalogText.With(("{ row = \"picks\", when", "{ row = \"picks\", after = [\"all\"], when"));
        Assert.Contains("'all' is no entry listed before picks in this event's runs", SingleError(text).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("path = \"/pubsub/grading-complete\"", "path = \"/grading\"", "events.grading-complete.path", "is not a push path")]
    [InlineData("verb = \"grading-complete\"", "verb = \"Grading\"", "events.grading-complete.verb", "is not a trigger verb")]
    [InlineData("default = \"yesterday\"", "default = \"2026-02-10\"", "events.export-request.date.default", "is not a date word")]
    [InlineData("date = { fields = [\"game_date\"] }", "date = { fields = [] }", "events.predictions-complete.date.fields", "at least one field")]
    [InlineData("trigger_source = \"string\"", "trigger_source = \"text\"", "events.export-request.fields.trigger_source", "expected a type")]
    [InlineData("{ type = \"bool\", default = true }", "{ type = \"bool\", default = 1 }", "events.export-request.fields.update_latest.default", "is not a bool")]
    [InlineData("ratio = \"number\"", "graded_date = \"string\"", "events.grading-complete.fields.graded_date", "is the date of this event already")]
    [InlineData("runs_orchestrator = true", "runs_orchestrator = true\nruns = [\"picks\"]", "events.predictions-complete.runs", "give one of runs, runs_from and runs_orchestrator")]
    [InlineData("runs_orchestrator = true", "", "events.predictions-complete.runs", "missing: say what the event runs")]
    [InlineData("options = [\"min_games\"]", "options = [\"max_games\"]", "events.export-request.flag.options", "'max_games' is an option of none of the flag's rows")]
    [InlineData("note = \"after grading\"", "notes = \"after grading\"", "events.grading-complete.notes", "unknown key")]
    public void Parse_BadEventKey_NamesKeyAndProblem(string old, string replacement, string key, string expected)
    {
        var error = SingleError(EventCatalogText.With((old, replacement)));
        Assert.Equal(key, error.Key);
        Assert.True(error.Line > 0, error.ToString());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
