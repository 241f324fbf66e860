using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using Temporalio.Client;
using Temporalio.Client.Interceptors;

namespace ExportFlows.Tests.Orchestration;

/// <summary>What every start carries for the Web UI, recorded at the client without a server.</summary>
public sealed class RunMetadataClientTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-02-03T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task PredictionsCompleteAsync_SignalWithStart_SummaryOfTheOrchestratorListAndDetailsOfTheSource()
    {
        var recording = new RecordingTonightClient();
        var phase6 = new Phase6Client(recording.Client, "exportflows", ExportCatalog.Shipped) { Source = "exportflows trigger" };

        await phase6.PredictionsCompleteAsync("""{"game_date": "2026-02-03", "status": "success", "correlation_id": "batch-7"}""");

        var call = Assert.Single(recording.Calls);
        Assert.Equal("tonight, tonight-players, predictions, best-bets, streaks, subset-picks +9 · 2026-02-03 · predictions-complete", call.Summary);
        Assert.Contains("**started by**: exportflows trigger", call.Details, StringComparison.Ordinal);
        Assert.Contains("**correlation id**: batch-7", call.Details, StringComparison.Ordinal);
        Assert.Contains($"({ExportCatalog.Shipped.Fingerprint})", call.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartExportAsync_Request_SummaryOfTypesDateAndTrigger()
    {
        var recorder = new StartRecorder();
        var client = new TemporalClient(TemporalConnection.CreateLazy(new TemporalConnectionOptions("127.0.0.1:1")),
            new TemporalClientOptions { Namespace = "default", Interceptors = [recorder] });

        await new Phase6Client(client, "exportflows", ExportCatalog.Shipped) { Source = "exportflows export" }
            .StartExportAsync(new ExportRequest(["subset-all"], "2026-02-03", "2026-02-03", Trigger: "cli"), Now);

        var options = Assert.Single(recorder.Starts);
        Assert.Equal("subset-picks, daily-signals, subset-performance, subset-definitions · 2026-02-03 · cli", options.StaticSummary);
        Assert.Contains("**trigger**: cli", options.StaticDetails, StringComparison.Ordinal);
        Assert.Contains("**started by**: exportflows export", options.StaticDetails, StringComparison.Ordinal);
    }

    private sealed class StartRecorder : IClientInterceptor
    {
        public List<WorkflowOptions> Starts { get; } = [];

        public ClientOutboundInterceptor InterceptClient(ClientOutboundInterceptor nextInterceptor) => new Outbound(this, nextInterceptor);

        private sealed class Outbound(StartRecorder owner, ClientOutboundInterceptor next) : ClientOutboundInterceptor(next)
        {
            public override Task<WorkflowHandle<TWorkflow, TResult>> StartWorkflowAsync<TWorkflow, TResult>(StartWorkflowInput input)
            {
                owner.Starts.Add(input.Options);
                // Recorded, never sent: the handle is not used.
                return Task.FromResult(new WorkflowHandle<TWorkflow, TResult>(null!, input.Options.Id!));
            }
        }
    }
}
