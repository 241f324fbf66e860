using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;
using static ExportFlows.Tests.Catalog.CatalogText;

namespace ExportFlows.Tests.Catalog;

/// <summary>Each kind of catalog error is reported once, with the file, the line and the key to change.</summary>
public sealed class ExportCatalogParserTests
{
    private static void AssertError(string text, string lineFragment, string key, string messagePart, IReadOnlySet<string>? implementations = null)
    {
        var error = SingleError(text, implementations);
        Assert.Equal((Source, LineOf(text, lineFragment), key), (error.Source, error.Line, error.Key));
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{Source}:{error.Line}: {key}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValidText_EveryPartRead()
    {
        var result = Parse(Valid);

        Assert.Empty(result.Errors);
        var catalog = result.Catalog!;
        Assert.Equal((Source, ExportCatalogParser.Fingerprint(Valid)), (catalog.Source, catalog.Fingerprint));
        Assert.Equal(["picks", "scores"], catalog.TypeNames);
        Assert.Equal(("subset-picks", ExporterKind.Native, "ExportPicks"), (catalog.Get("picks").Implementation, catalog.Get("picks").Kind, catalog.Get("picks").Activity));
        Assert.Equal(["nightly"], catalog.Schedules.Select(s => s.Id));
        Assert.Equal(new PublicSubsetName(2, "Top 3", "Top 3 picks"), catalog.Publication.FindSubset("top3"));
    }

    [Fact]
    public void Parse_SyntaxError_LineOfTheBrokenLine()
    {
        var text = With(("date = \"yesterday\"", "date = \"yesterday"));
        var error = SingleError(text);
        Assert.Equal((LineOf(text, "date = \"yesterday"), "(syntax)"), (error.Line, error.Key));
    }

    [Fact]
    public void Parse_TypeTableTwice_NamesTheSecondTableAndTheType()
    {
        var text = Valid + "\n\n[types.picks]\nkind = \"native\"\n";
        var error = SingleError(text);
        Assert.Equal((Valid.Split('\n').Length + 2, "types.picks"), (error.Line, error.Key));
        Assert.Contains("twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownKey_TypoNamedWithTheKnownKeys() =>
        AssertError(With(("date = \"target\"\npolicy = \"short\"\nobjects = [{ path = \"v1/picks", "date = \"target\"\nperflight = true\npolicy = \"short\"\nobjects = [{ path = \"v1/picks")),
            "perflight", "types.picks.perflight", "unknown key; expected one of kind, date, objects");

    [Fact]
    public void Parse_BadKind_KindKey() =>
        AssertError(With(("kind = \"external\"", "kind = \"python\"")), "kind = \"python\"", "types.scores.kind", "'python' is not a kind");

    [Fact]
    public void Parse_BadDateKind_DateKey() =>
        AssertError(With(("implementation = \"subset-picks\"\ndate = \"target\"", "implementation = \"subset-picks\"\ndate = \"daily\"")),
            "date = \"daily\"", "types.picks.date", "'daily' is not a date kind");

    [Theory]
    [InlineData("picks/{date}.json", "is outside v1/")]
    [InlineData("v1/picks/../secrets/{date}.json", "'..' segment")]
    [InlineData("v1//picks/{date}.json", "empty, '.' or '..' segment")]
    [InlineData("v1/picks/{date}.txt", "ends in .json")]
    public void Parse_BadObjectPath_ObjectsPathKey(string path, string problem) =>
        AssertError(With(("v1/picks/{date}.json", path)), path, "types.picks.objects.path", problem);

    [Fact]
    public void Parse_BadDuration_DurationKey() =>
        AssertError(With(("start_to_close = \"1m\"", "start_to_close = \"1 minute\"")), "1 minute", "policies.short.start_to_close", "is not a duration");

    [Fact]
    public void Parse_UnknownNamedPolicy_PolicyKeyOfTheType() =>
        AssertError(With(("date = \"target\"\npolicy = \"short\"\nobjects = [{ path = \"v1/scores", "date = \"target\"\npolicy = \"shrot\"\nobjects = [{ path = \"v1/scores")),
            "policy = \"shrot\"", "types.scores.policy", "names no policy 'shrot'");

    [Fact]
    public void Parse_StartToCloseLongerThanScheduleToClose_StartToCloseKey() =>
        AssertError(With(("start_to_close = \"1m\"", "start_to_close = \"20m\"")), "start_to_close = \"20m\"", "policies.short.start_to_close", "longer than schedule_to_close");

    [Fact]
    public void Parse_UnknownRequestValueInCall_ArgumentKeyAndTheConstantHint()
    {
        var text = With(("args = [\"target_date\"]", "args = [\"target_date\", \"30\"]"));
        AssertError(text, "args = [\"target_date\", \"30\"]", "types.scores.call.args", "'30' is no request value");
        Assert.Contains("{ const = \"30\" }", SingleError(text).Message, StringComparison.Ordinal);
        AssertError(With(("kwargs = { update_latest = \"update_latest\" }", "kwargs = { update_latest = \"latest\" }")),
            "update_latest = \"latest\"", "types.scores.call.kwargs.update_latest", "'latest' is no request value");
    }

    [Fact]
    public void Parse_ConstantsInCall_ConstantJsonNotRequestValues()
    {
        var text = With(("args = [\"target_date\"]", "args = [\"target_date\", { const = \"x\" }], constructor = { days = 30 }"),
            ("kwargs = { update_latest = \"update_latest\" }", "kwargs = { days_back = 30, label = { const = \"x\" }, min_games = \"min_games\" }"));

        var call = Parse(text).Catalog!.Get("scores").Call!;

        Assert.Equal([new ExporterArgument("target_date", null), new ExporterArgument(null, "\"x\"")], call.Args);
        Assert.Equal(new ExporterArgument(null, "30"), call.Kwargs["days_back"]);
        Assert.Equal(new ExporterArgument(null, "\"x\""), call.Kwargs["label"]);
        Assert.Equal(new ExporterArgument("min_games", null), call.Kwargs["min_games"]);
        Assert.Equal(new ExporterArgument(null, "30"), call.Constructor["days"]);
    }

    [Fact]
    public void Parse_ConstantTableWithOtherKeys_Refused() =>
        AssertError(With(("kwargs = { update_latest = \"update_latest\" }", "kwargs = { update_latest = { val = 1 } }")),
            "update_latest = { val = 1 }", "types.scores.call.kwargs.update_latest", "an argument table is { const = … }, { value = \"row.name\" }");

    [Fact]
    public void Parse_NativeRowWithoutImplementation_ImplementationKey() =>
        AssertError(With(("implementation = \"subset-picks\"\n", "")), "kind = \"native\"", "types.picks.implementation", "add implementation = ");

    [Fact]
    public void Parse_ImplementationNotRegistered_NamesTheRegisteredOnes() =>
        AssertError(With(("implementation = \"subset-picks\"", "implementation = \"subset-pics\"")), "subset-pics", "types.picks.implementation",
            "no native exporter 'subset-pics' is registered in this build (registered: subset-picks)");

    [Fact]
    public void Parse_ImplementationsNotGiven_AnyNameAccepted() =>
        Assert.True(ExportCatalogParser.Parse(With(("implementation = \"subset-picks\"", "implementation = \"elsewhere\"")), Source).IsValid);

    [Fact]
    public void Parse_ExternalRowWithoutCall_CallKey() =>
        AssertError(With(("call = { module = \"data_processors.publishing.scores_exporter\", class = \"ScoresExporter\", method = \"export\", args = [\"target_date\"], kwargs = { update_latest = \"update_latest\" } }\n", "")),
            "kind = \"external\"", "types.scores.call", "an external row says how the original calls it");

    [Fact]
    public void Parse_GroupNamingUnknownType_GroupKey() =>
        AssertError(With(("all = [\"picks\", \"scores\"]", "all = [\"picks\", \"score\"]")), "all = [\"picks\", \"score\"]", "groups.all", "names unknown type 'score'");

    [Fact]
    public void Parse_GroupNamedLikeAType_GroupKey() =>
        AssertError(With(("all = [\"picks\", \"scores\"]", "all = [\"picks\", \"scores\"]\npicks = [\"scores\"]")), "picks = [\"scores\"]", "groups.picks", "is a type name already");

    [Fact]
    public void Parse_OrchestratorNamingUnknownType_OrchestratorKey() =>
        AssertError(With(("orchestrator = [\"picks\", \"scores\"]", "orchestrator = [\"picks\", \"tonight\"]")), "orchestrator =", "orchestrator", "names unknown type 'tonight'");

    [Fact]
    public void Parse_ScheduleNamingUnknownType_TypesKey() =>
        AssertError(With(("types = [\"all\"]", "types = [\"all\", \"calendar\"]")), "types = [\"all\", \"calendar\"]", "schedules.nightly.types", "unknown type or group 'calendar'");

    [Theory]
    [InlineData("calendar = { hours = [24], minute = 0 }", "schedules.nightly.calendar.hours", "integers from 0 to 23")]
    [InlineData("calendar = { hours = [5], minute = 60 }", "schedules.nightly.calendar.minute", "60 is out of range")]
    [InlineData("calendar = { hours = [5], minute = 0, days_of_week = [\"funday\"] }", "schedules.nightly.calendar.days_of_week", "'funday' is not a day")]
    [InlineData("calendar = { hours = [5], minute = 0, days_of_month = [0] }", "schedules.nightly.calendar.days_of_month", "integers from 1 to 31")]
    [InlineData("calendar = { minute = 0 }", "schedules.nightly.calendar.hours", "missing: the hours")]
    public void Parse_BadCalendar_CalendarKey(string calendar, string key, string problem) =>
        AssertError(With(("calendar = { hours = [5], minute = 0 }", calendar)), calendar, key, problem);

    [Fact]
    public void Parse_ScheduleOptionNotDeclaredByItsTypes_OptionKey()
    {
        AssertError(With(("catchup_window = \"1h\"", "catchup_window = \"1h\"\noptions = { min_gmaes = 5 }")), "min_gmaes", "schedules.nightly.options.min_gmaes",
            "is an option of none of the schedule's types");
        AssertError(With(("catchup_window = \"1h\"", "catchup_window = \"1h\"\noptions = { min_games = 90 }")), "min_games = 90", "schedules.nightly.options.min_games",
            "90 is out of range: expected 1 to 82");
        Assert.Equal(new Dictionary<string, long> { ["min_games"] = 7 },
            Parse(With(("catchup_window = \"1h\"", "catchup_window = \"1h\"\noptions = { min_games = 7 }"))).Catalog!.Schedules[0].Options);
    }

    [Theory]
    [InlineData("date = \"2026-02-10\"", "'2026-02-10' is not a date word")]
    [InlineData("date = 2026-02-10", "a fixed date would export the same day for ever")]
    public void Parse_FixedDateInSchedule_DateKey(string date, string problem) =>
        AssertError(With(("date = \"yesterday\"", date)), date, "schedules.nightly.date", problem);

    [Fact]
    public void Parse_DuplicatePublicSubsetId_SecondSubsetsIdKey() =>
        AssertError(With(("top3 = { id = 2,", "top3 = { id = 1,")), "top3 = { id = 1,", "publication.subsets.top3.id", "public id 1 is already 'Top Pick'");

    [Fact]
    public void Parse_FiveErrors_AllFiveReportedInOneResult()
    {
        var text = With(
            ("kind = \"external\"", "kind = \"python\""),
            ("start_to_close = \"1m\"", "start_to_close = \"soon\""),
            ("all = [\"picks\", \"scores\"]", "all = [\"picks\", \"score\"]"),
            ("calendar = { hours = [5], minute = 0 }", "calendar = { hours = [24], minute = 0 }"),
            ("top3 = { id = 2,", "top3 = { id = 1,"));

        var result = Parse(text);

        Assert.Null(result.Catalog);
        Assert.Equal(
            new[]
            {
                ("policies.short.start_to_close", LineOf(text, "\"soon\"")),
                ("types.scores.kind", LineOf(text, "\"python\"")),
                ("groups.all", LineOf(text, "\"score\"]")),
                ("schedules.nightly.calendar.hours", LineOf(text, "[24]")),
                ("publication.subsets.top3.id", LineOf(text, "top3 =")),
            }.Order(),
            result.Errors.Select(e => (e.Key, e.Line)).Order());
        Assert.Contains("(5 errors)", new InvalidCatalogException(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BrokenRowWithTheScheduleOption_OnlyTheRowReported()
    {
        var text = With(("kind = \"external\"", "kind = \"python\""), ("catchup_window = \"1h\"", "catchup_window = \"1h\"\noptions = { min_games = 7 }"));
        Assert.Equal(["types.scores.kind"], Parse(text).Errors.Select(e => e.Key));
    }

    [Fact]
    public void Parse_BrokenPolicyNamedByTypes_OnlyThePolicyReported()
    {
        // A policy or type that does not parse is reported once, not again by every row, group or schedule naming it.
        var text = With(("backoff = 2.0", "backoff = 0.5"), ("kind = \"external\"", "kind = \"python\""));
        Assert.Equal(["policies.short.retry.backoff", "types.scores.kind"], Parse(text).Errors.Select(e => e.Key));
    }
}
