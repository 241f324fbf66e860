using ExportFlows.Workflows.Orchestration;

namespace ExportFlows.Tests.PubSub;

public sealed class DeliveryLogTests
{
    [Fact]
    public void TryAdd_Redelivery_RefusedAndCounted()
    {
        var log = new DeliveryLog(10);

        Assert.True(log.TryAdd("m-1"));
        Assert.True(log.TryAdd("m-2"));
        Assert.False(log.TryAdd("m-1"));

        Assert.Equal((2, 1), (log.Received, log.Duplicates));
    }

    [Fact]
    public void TryAdd_OverCapacity_ForgetsTheOldestOnly()
    {
        var log = new DeliveryLog(3);
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            log.TryAdd(id);
        }

        Assert.False(log.TryAdd("d"));
        Assert.False(log.TryAdd("b"));
        Assert.True(log.TryAdd("a"));
    }

    [Fact]
    public void Admit_AsAClientInAnyLanguageSendsIt_NewTakenRedeliveryNotAndAnIdOfAnotherTypeRefused()
    {
        var log = new DeliveryLog(10);
        System.Text.Json.JsonElement Json(string text) => System.Text.Json.JsonDocument.Parse(text).RootElement;

        Assert.True(log.Admit(null, out var none) && none is null);
        Assert.True(log.Admit(Json("null"), out _));
        Assert.True(log.Admit(Json("\"m-1\""), out _));
        Assert.False(log.Admit(Json("\"m-1\""), out var redelivery));
        Assert.Null(redelivery);
        Assert.False(log.Admit(Json("42"), out var malformed));
        Assert.Equal("the delivery id (the signal's second argument) must be a string, got Number: the message was not taken", malformed);
        Assert.Equal((1, 1), (log.Received, log.Duplicates));
    }
}
