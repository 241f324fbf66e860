using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Tests.Exporters;

public sealed class PublicationRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 2, 3, 17, 0, 0, TimeSpan.Zero);

    private static ObjectMetadata Published(DateTimeOffset? generatedAt, string md5 = "old", bool? empty = false) =>
        new("v1/picks/2026-02-03.json", 10, "application/json", "x", At, "7", md5, generatedAt, empty);

    [Theory]
    [InlineData(null, false, false, PublicationAction.Write)]                 // nothing published
    [InlineData(-60, false, false, PublicationAction.Write)]                  // older document
    [InlineData(0, false, false, PublicationAction.Write)]                    // same clock, other bytes
    [InlineData(30, false, false, PublicationAction.SkipNewer)]               // newer document
    [InlineData(30, true, false, PublicationAction.Write)]                    // newer, but forced
    public void Decide_ByClock(int? publishedMinutes, bool force, bool allowEmpty, PublicationAction expected)
    {
        var existing = publishedMinutes is { } m ? Published(At.AddMinutes(m)) : null;
        Assert.Equal(expected, PublicationRules.Decide(existing, At, "new", null, force, allowEmpty).Action);
    }

    [Fact]
    public void Decide_SameClockSameBytes_AlreadyWritten() =>
        Assert.Equal(PublicationAction.AlreadyWritten, PublicationRules.Decide(Published(At, "same"), At, "same", null, false, false).Action);

    [Theory]
    [InlineData(false, false, PublicationAction.RefuseEmpty)]   // a real document would be blanked
    [InlineData(null, false, PublicationAction.RefuseEmpty)]    // written before the flag existed: assume real
    [InlineData(true, false, PublicationAction.Write)]          // an empty document replaced by another
    [InlineData(false, true, PublicationAction.Write)]          // allowed explicitly
    public void Decide_EmptyDocument_OnlyOverAnEmptyOneOrAllowed(bool? publishedEmpty, bool allowEmpty, PublicationAction expected)
    {
        var decision = PublicationRules.Decide(Published(At.AddMinutes(-5), empty: publishedEmpty), At, "new", "table x is empty", false, allowEmpty);
        Assert.Equal(expected, decision.Action);
    }

    [Fact]
    public void Decide_EmptyDocumentNothingPublished_Written() =>
        Assert.Equal(PublicationAction.Write, PublicationRules.Decide(null, At, "new", "table x is empty", false, false).Action);

    private static readonly DateOnly Day = new(2026, 2, 3);

    private static SubsetDefinition Subset(string? condition) =>
        new("v9_high_edge_top1", new PublicSubsetName(1, "Top Pick", "Single best pick"), false, null, null, null, condition, null, null);

    private static Candidate Pick(DateOnly date, long? actual = null) => new(date, "alpha", "Alpha", "NYK", "ORL", 30m, 24.5m, "OVER", 90m, actual);

    private static SubsetCatalog Catalog(params SubsetDefinition[] subsets) => new(subsets, subsets.Select(s => s.SubsetId).ToList());

    [Fact]
    public void EmptyInputsPicks_EachEmptyInput_NamedOtherwiseNull()
    {
        Assert.Equal("nba_predictions.dynamic_subset_definitions has no active subset of the model", EmptyInputs.Picks(Catalog(), [Pick(Day)], null, Day));
        Assert.Equal("nba_predictions.player_prop_predictions has no publishable prediction of the model for 2026-02-03", EmptyInputs.Picks(Catalog(Subset("ANY")), [], null, Day));
        Assert.Equal("nba_predictions.daily_prediction_signals has no row of the model for 2026-02-03, and no subset selects a pick without it",
            EmptyInputs.Picks(Catalog(Subset("GREEN"), Subset("RED")), [Pick(Day)], null, Day));
        Assert.Null(EmptyInputs.Picks(Catalog(Subset("GREEN"), Subset("ANY")), [Pick(Day)], null, Day));                                // one subset needs no signal
        Assert.Null(EmptyInputs.Picks(Catalog(Subset("GREEN")), [Pick(Day)], new DaySignal(Day, "RED", null, null, null), Day));     // a signal that selects nothing: real
    }

    [Fact]
    public void EmptyInputsPerformance_NoPredictionOrNoResultInTheWindows_Named()
    {
        var start = Day.AddDays(-29);
        Assert.Equal("nba_predictions.player_prop_predictions has no publishable prediction of the model between 2026-01-05 and 2026-02-03",
            EmptyInputs.Performance(Catalog(Subset("ANY")), new Dictionary<DateOnly, IReadOnlyList<Candidate>> { [start.AddDays(-1)] = [Pick(start.AddDays(-1), 30)] }, start, Day));
        Assert.Equal("nba_analytics.player_game_summary has no result for any of the model's 2 predictions between 2026-01-05 and 2026-02-03",
            EmptyInputs.Performance(Catalog(Subset("ANY")), new Dictionary<DateOnly, IReadOnlyList<Candidate>> { [start] = [Pick(start)], [Day] = [Pick(Day)] }, start, Day));
        Assert.Null(EmptyInputs.Performance(Catalog(Subset("ANY")), new Dictionary<DateOnly, IReadOnlyList<Candidate>> { [Day] = [Pick(Day), Pick(Day, 30)] }, start, Day));
        Assert.Equal("nba_predictions.dynamic_subset_definitions has no active subset of the model",
            EmptyInputs.Performance(Catalog(), new Dictionary<DateOnly, IReadOnlyList<Candidate>> { [Day] = [Pick(Day, 30)] }, start, Day));
    }
}
