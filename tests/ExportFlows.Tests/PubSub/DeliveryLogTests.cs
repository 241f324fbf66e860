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
}
