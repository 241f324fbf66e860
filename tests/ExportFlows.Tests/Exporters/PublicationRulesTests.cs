using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Storage;

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
}
