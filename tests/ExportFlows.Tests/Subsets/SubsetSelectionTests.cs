using ExportFlows.Activities.Subsets;
using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Tests.Subsets;

public sealed class SubsetSelectionTests
{
    private static readonly DateOnly Day = new(2026, 2, 3);

    private static Candidate C(string lookup, decimal predicted, decimal line, decimal confidence, string direction = "OVER", long? actual = null) =>
        new(Day, lookup, lookup, "NYK", "BOS", predicted, line, direction, confidence, actual);

    private static SubsetDefinition S(decimal? minEdge = null, decimal? minConfidence = null, string? signal = null, decimal? pctMin = null,
        decimal? pctMax = null, bool ranking = false, long? topN = null) =>
        new("internal", new PublicSubsetName(1, "Top Pick", "Single best pick"), ranking, topN, minEdge, minConfidence, signal, pctMin, pctMax);

    private static List<Candidate> Ordered(params Candidate[] candidates) => candidates.OrderBy(c => c, SubsetSelection.Order).ToList();

    private static string[] Names(IEnumerable<Candidate> picks) => picks.Select(p => p.PlayerLookup).ToArray();

    [Fact]
    public void Order_CompositeTie_BrokenByPlayerLookup()
    {
        // edge 6 × 10 + 80 × 0.5 = 100 and edge 5 × 10 + 100 × 0.5 = 100.
        var ordered = Ordered(C("zulu", 26, 20, 80), C("alpha", 25, 20, 100), C("mike", 30, 20, 90));
        Assert.Equal(["mike", "alpha", "zulu"], Names(ordered));
    }

    [Fact]
    public void Select_MinEdge_InclusiveBound()
    {
        var picks = SubsetSelection.Select(S(minEdge: 5.0m), Ordered(C("a", 25.0m, 20.0m, 80), C("b", 24.9m, 20.0m, 80)), null);
        Assert.Equal(["a"], Names(picks));
    }

    [Theory]
    [InlineData(0.92, 92.0, true)]
    [InlineData(0.92, 91.99, false)]
    [InlineData(92, 92.0, true)]
    [InlineData(85, 84.99, false)]
    public void Select_MinConfidence_FractionMeansPercent(double minConfidence, double confidence, bool kept)
    {
        var picks = SubsetSelection.Select(S(minConfidence: (decimal)minConfidence), [C("a", 30, 20, (decimal)confidence)], null);
        Assert.Equal(kept, picks.Count == 1);
    }

    [Theory]
    [InlineData(null, "RED", true)]
    [InlineData("ANY", "RED", true)]
    [InlineData("ANY", null, true)]
    [InlineData(null, null, true)]
    [InlineData("GREEN", "GREEN", true)]
    [InlineData("GREEN", "YELLOW", false)]
    [InlineData("GREEN_OR_YELLOW", "YELLOW", true)]
    [InlineData("GREEN_OR_YELLOW", "GREEN", true)]
    [InlineData("GREEN_OR_YELLOW", "RED", false)]
    [InlineData("RED", "RED", true)]
    [InlineData("RED", "GREEN", false)]
    [InlineData("GREEN", null, false)]
    [InlineData("RED", null, false)]
    [InlineData("PURPLE", "PURPLE", true)]
    [InlineData("PURPLE", "GREEN", false)]
    public void SignalMatches_EachCondition_AsContract(string? condition, string? daySignal, bool expected) =>
        Assert.Equal(expected, SubsetSelection.SignalMatches(condition, daySignal));

    [Fact]
    public void Select_NoSignalRow_OnlyAnyPassesAndBoundsSkipped()
    {
        var candidates = Ordered(C("a", 30, 20, 80));
        Assert.Single(SubsetSelection.Select(S(signal: "ANY", pctMin: 25, pctMax: 40), candidates, null));
        Assert.Empty(SubsetSelection.Select(S(signal: "GREEN"), candidates, null));
    }

    [Theory]
    [InlineData(25.0, true)]
    [InlineData(40.0, true)]
    [InlineData(24.9, false)]
    [InlineData(40.1, false)]
    public void Select_PctOverBounds_Inclusive(double pctOver, bool kept)
    {
        var signal = new DaySignal(Day, "GREEN", (decimal)pctOver, 5, "BALANCED");
        var picks = SubsetSelection.Select(S(signal: "GREEN", pctMin: 25.0m, pctMax: 40.0m), Ordered(C("a", 30, 20, 80)), signal);
        Assert.Equal(kept, picks.Count == 1);
    }

    [Fact]
    public void Select_NullPctOver_BoundsSkipped()
    {
        var signal = new DaySignal(Day, "GREEN", null, 5, "BALANCED");
        Assert.Single(SubsetSelection.Select(S(signal: "GREEN", pctMin: 25.0m, pctMax: 40.0m), Ordered(C("a", 30, 20, 80)), signal));
    }

    [Fact]
    public void Select_TopN_OnlyWithRankingAfterFilters()
    {
        var candidates = Ordered(C("a", 40, 20, 80), C("b", 22, 20, 99), C("c", 30, 20, 80), C("d", 29, 20, 80));
        Assert.Equal(["a", "c"], Names(SubsetSelection.Select(S(minEdge: 5, ranking: true, topN: 2), candidates, null)));
        Assert.Equal(["a", "c", "d"], Names(SubsetSelection.Select(S(minEdge: 5, ranking: false, topN: 2), candidates, null)));
        Assert.Equal(["a", "c", "d"], Names(SubsetSelection.Select(S(minEdge: 5, ranking: true, topN: null), candidates, null)));
    }

    [Fact]
    public void CandidateSet_DuplicateActivePredictions_OnePerPlayerHighestComposite()
    {
        var byDate = CandidateSet.ByDate([C("a", 25, 20, 80), C("a", 27, 20, 80), C("b", 26, 20, 80)]);
        Assert.Equal(["a", "b"], Names(byDate[Day]));
        Assert.Equal(27m, byDate[Day][0].PredictedPoints);
    }

    [Theory]
    [InlineData(25, "OVER", true, true)]
    [InlineData(19, "OVER", true, false)]
    [InlineData(15, "UNDER", true, true)]
    [InlineData(20, "UNDER", true, false)]
    public void Candidate_Grading_WinsByDirection(long actual, string direction, bool graded, bool win)
    {
        var candidate = C("a", 30, 19.5m, 80, direction, actual);
        Assert.Equal((graded, win), (candidate.IsGraded, candidate.IsWin));
    }

    [Fact]
    public void Candidate_Push_NotGraded()
    {
        Assert.False(C("a", 30, 20.0m, 80, "OVER", 20).IsGraded);
        Assert.False(C("a", 30, 20.0m, 80, "OVER", null).IsGraded);
    }
}
