using System.Globalization;
using ExportFlows.Activities.Storage;
using ExportFlows.Worker.Status;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Tests.Scheduling;

/// <summary><c>status</c> counts a document whose inputs were confirmed unchanged as fresh from the confirmation; it still shows when it was written.</summary>
public sealed class ConfirmedFreshnessTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static readonly DateTimeOffset Now = At("2026-02-10T20:00:00Z"); // 3 PM ET

    /// <summary>Objects with the write and confirmation times a test gives them.</summary>
    private sealed class ConfirmedStore(Dictionary<string, (DateTimeOffset Updated, DateTimeOffset? Confirmed)> objects) : IObjectStore
    {
        public string Description => "memory";

        public Task<ObjectMetadata> WriteAsync(string name, ReadOnlyMemory<byte> content, string contentType, string cacheControl,
            ObjectWriteOptions? write = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ObjectMetadata?> GetMetadataAsync(string name, CancellationToken cancellationToken = default) =>
            Task.FromResult(objects.TryGetValue(name, out var o) ? new ObjectMetadata(name, 10, "application/json", null, o.Updated, "1", null, ConfirmedAt: o.Confirmed) : null);

        public Task<IReadOnlyList<ObjectMetadata>> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ObjectMetadata>>([]);
    }

    private static async Task<EndpointStatus> StatusOfAsync(string type, DateTimeOffset updated, DateTimeOffset? confirmed)
    {
        var name = type == "subset-performance" ? "v1/subsets/performance.json" : "v1/systems/subsets.json";
        var service = new StatusService(new ConfirmedStore(new() { [name] = (updated, confirmed) }), ExportCatalog.Shipped, ExportCatalog.Shipped.Schedules, client: null, new HashSet<string> { type });
        return Assert.Single(await service.CheckAsync(new DateOnly(2026, 2, 10), Now, CancellationToken.None));
    }

    [Fact]
    public async Task CheckAsync_PerformanceWrittenAtNineConfirmedAtTwoThirty_FreshAndStillShowsTheWrite()
    {
        var status = await StatusOfAsync("subset-performance", At("2026-02-10T14:00:00Z"), At("2026-02-10T19:30:00Z"));

        Assert.Equal("fresh", status.Freshness);
        Assert.Equal((At("2026-02-10T14:00:00Z"), (DateTimeOffset?)At("2026-02-10T19:30:00Z")), (status.Updated, status.Confirmed));
        Assert.Equal("30 min old (target ≤ 1 h from 6 AM to midnight ET); counted from 2026-02-10 14:30 ET, when its inputs were found unchanged since it was computed (2026-02-10 09:00 ET)",
            status.Detail);
    }

    [Fact]
    public async Task CheckAsync_PerformanceWrittenAtNineNeverConfirmed_Stale()
    {
        var status = await StatusOfAsync("subset-performance", At("2026-02-10T14:00:00Z"), null);

        Assert.Equal(("stale", (DateTimeOffset?)null), (status.Freshness, status.Confirmed));
    }

    [Fact]
    public async Task CheckAsync_DefinitionsThreeDaysOldConfirmedThisMorning_Fresh()
    {
        var status = await StatusOfAsync("subset-definitions", At("2026-02-07T10:05:00Z"), At("2026-02-10T10:05:00Z"));

        Assert.Equal("fresh", status.Freshness);
    }
}
