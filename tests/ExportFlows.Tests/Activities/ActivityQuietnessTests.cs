using ExportFlows.Activities;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Temporalio.Testing;

namespace ExportFlows.Tests.Activities;

/// <summary>What the export activities send and log besides their results: nothing a worker's operator has to filter out.</summary>
public sealed class ActivityQuietnessTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task ExportDateSpanAsync_ThreeDates_HeartbeatsAfterEachDateButTheLast()
    {
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, _temp.Path);
        var heartbeats = new List<string>();
        var environment = new ActivityEnvironment
        {
            Heartbeater = details =>
            {
                lock (heartbeats)
                {
                    heartbeats.Add(((SpanCheckpoint)details.Single()!).LastFinished);
                }
            },
        };
        var request = new SpanExportRequest(["daily-signals"], "2026-01-20", "2026-01-22", DateTimeOffset.Parse("2026-01-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        var result = await environment.RunAsync(() => harness.Activities.ExportDateSpanAsync(request)).Within();

        Assert.Equal(["2026-01-20", "2026-01-21", "2026-01-22"], result.Dates.Select(d => d.Date));
        Assert.All(result.Dates, d => Assert.True(d.Succeeded, d.Error));
        // The last date's outcome travels with the completion; a heartbeat for it would arrive after it.
        Assert.Equal(["2026-01-20", "2026-01-21"], heartbeats);
    }

    [Theory]
    [InlineData(typeof(MissingTableException), true)]
    [InlineData(typeof(Workflows.Planning.InvalidExportRequestException), true)]
    [InlineData(typeof(InvalidOperationException), false)]
    [InlineData(typeof(NullReferenceException), false)]
    public void IsExpected_KnownFailureKinds_OnlyBugsCarryStackTraces(Type exception, bool expected)
    {
        var ex = (Exception)Activator.CreateInstance(exception, "boom")!;

        Assert.Equal(expected, ExportActivities.IsExpected(ex));
    }

    public void Dispose() => _temp.Dispose();
}
