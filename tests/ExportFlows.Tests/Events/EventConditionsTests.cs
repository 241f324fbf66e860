using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Events;

namespace ExportFlows.Tests.Events;

/// <summary>The grading-complete event's conditions decided for read messages, with the reason of each skip.</summary>
public sealed class EventConditionsTests
{
    private static IReadOnlyList<EventRunDecision> Decide(string json)
    {
        var ev = EventMessageReaderTests.Catalog.FindEvent("grading-complete")!;
        var reading = EventMessageReader.Read(ev, EventMessageReaderTests.Catalog, json, EventMessageReaderTests.Now);
        Assert.True(reading.Accepted, reading.Refusal?.Reason);
        return EventConditions.Decide(ev, reading.Request!);
    }

    [Fact]
    public void Decide_SuccessWithGradedPicks_RunsEverything()
    {
        var decisions = Decide("""{"target_date": "2026-02-08", "status": "success", "graded_count": 40}""");

        Assert.All(decisions, d => Assert.True(d.Runs));
        Assert.Equal("condition status == \"success\" and graded_count > 0 holds", decisions[0].Reason);
        Assert.Equal("runs unconditionally", decisions[2].Reason);
    }

    [Fact]
    public void Decide_FailedGrading_SkipsTheConditionedRowsNamingTheCondition()
    {
        var decisions = Decide("""{"target_date": "2026-02-08", "status": "failed", "graded_count": 40}""");

        Assert.Equal(
            [
                new EventRunDecision("picks", false, "skipped: condition status == \"success\" is false (status = \"failed\")"),
                new EventRunDecision("scores", false, "skipped: condition status in [\"success\", \"partial\"] is false (status = \"failed\")"),
                new EventRunDecision("all", true, "runs unconditionally"),
            ],
            decisions);
    }

    [Fact]
    public void Decide_NothingGraded_SkipsThePicksOnly()
    {
        var decisions = Decide("""{"target_date": "2026-02-08", "status": "partial"}""");

        Assert.Equal("skipped: condition status == \"success\" is false (status = \"partial\")", decisions[0].Reason);
        Assert.True(decisions[1].Runs);
        Assert.Equal("skipped: condition graded_count > 0 is false (graded_count = 0)",
            Decide("""{"target_date": "2026-02-08", "status": "success"}""")[0].Reason);
    }

    [Fact]
    public void Decide_MissingField_SaysItIsMissing()
    {
        Assert.Equal("skipped: condition status == \"success\" is false (status missing)",
            Decide("""{"target_date": "2026-02-08", "graded_count": 3}""")[0].Reason);
    }

    [Fact]
    public void Decide_EventWithoutConditions_RunsWhatTheMessageListed()
    {
        var ev = EventMessageReaderTests.Catalog.FindEvent("export-request")!;
        var request = EventMessageReader.Read(ev, EventMessageReaderTests.Catalog, """{"export_types": ["picks"]}""", EventMessageReaderTests.Now).Request!;

        Assert.Equal([new EventRunDecision("picks", true, "requested")], EventConditions.Decide(ev, request));
    }
}
