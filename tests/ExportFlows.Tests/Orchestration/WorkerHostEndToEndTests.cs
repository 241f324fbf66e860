using System.Text.Json;
using ExportFlows.Activities;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Worker.Hosting;
using ExportFlows.Worker.Temporal;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Tests.Orchestration;

/// <summary>The worker host as <c>exportflows worker</c> builds it, driven through the public client with the example message.</summary>
public sealed class WorkerHostEndToEndTests
{
    /// <summary>The worker's settings on the test server, a fresh task queue, the sample warehouse and <paramref name="store"/>.</summary>
    private static (TemporalSettings Temporal, ExportFlowsOptions Options) Settings(TempFolder store)
    {
        var client = TemporalTestServer.Client;
        return (new TemporalSettings
        {
            Address = client.Connection.Options.TargetHost,
            Namespace = client.Options.Namespace,
            TaskQueue = TemporalTestServer.NewTaskQueue(),
            GracefulShutdown = TimeSpan.FromSeconds(5),
        }, new ExportFlowsOptions { Warehouse = "duckdb:" + ExportHarness.SampleWarehouse, Store = "dir:" + store.Path });
    }

    [TemporalFact]
    public async Task PredictionsComplete_ExampleMessageThroughWorkerHost_WritesPicksAndSignals()
    {
        using var store = new TempFolder();
        var (temporal, options) = Settings(store);
        // The example message's date names the workflow: a run of it an earlier run of the suite left open would take the signal.
        await ServerWorkflows.TerminateLeftoverAsync(TonightWorkflowIds.For(new DateOnly(2026, 2, 3)));
        await WorkerHost.PrepareAsync(temporal, NullLogger.Instance, CancellationToken.None).Within();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        WorkerHost.Configure(builder, options, temporal);
        using var host = builder.Build();
        await host.StartAsync().Within();
        TonightResult result;
        try
        {
            var client = new Phase6Client(TemporalTestServer.Client, temporal.TaskQueue, ExportCatalog.Shipped);
            var handle = await client.PredictionsCompleteAsync(File.ReadAllText(RepositoryFiles.PathOf("examples", "predictions-complete.json"))).Within();
            result = await handle.GetResultAsync().Within(TimeSpan.FromMinutes(2));
        }
        finally
        {
            await host.StopAsync().Within();
        }

        var run = Assert.Single(result.Runs);
        Assert.True(run.Status == MessageRunStatus.Exported, $"{run.Status}: {run.Reason}");
        Assert.Equal("batch_2026-02-03_1770100000", run.CorrelationId);
        Assert.Equal(["v1/picks/2026-02-03.json", "v1/signals/2026-02-03.json"], run.Report!.Exports.Select(e => e.ObjectName));
        using var picks = JsonDocument.Parse(File.ReadAllText(store.Sub("v1/picks/2026-02-03.json")));
        Assert.Equal(("2026-02-03", "926A"), (picks.RootElement.GetProperty("date").GetString(), picks.RootElement.GetProperty("model").GetString()));
        Assert.True(picks.RootElement.GetProperty("groups").GetArrayLength() > 0);
        using var signals = JsonDocument.Parse(File.ReadAllText(store.Sub("v1/signals/2026-02-03.json")));
        Assert.Equal("2026-02-03", signals.RootElement.GetProperty("date").GetString());
        Assert.Contains(signals.RootElement.GetProperty("signal").GetString(), new[] { "favorable", "neutral", "challenging" });
    }

    [TemporalFact]
    public async Task WorkerHostWithHttp_ReadyThenPush_SignalsTheTonightWorkflowItHosts()
    {
        using var store = new TempFolder();
        var (temporal, options) = Settings(store);
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseUrls(builder.WebHost, "http://127.0.0.1:0");
        WorkerHost.Configure(builder, options, temporal);
        WorkerHost.ConfigureHttp(builder, new ExportFlows.Worker.PubSub.PubSubPushOptions { InsecureNoAuth = true }, temporal);
        await using var app = builder.Build();
        WorkerHost.MapHttp(app);
        await app.StartAsync().Within();
        try
        {
            var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
            var address = new Uri(bound.TrimEnd('/') + "/");
            using var http = new HttpClient { BaseAddress = address };
            await Bounded.UntilAsync(async () => (await http.GetAsync("readyz")).IsSuccessStatusCode, "/readyz to answer 200");
            // The SDK's own metrics (pollers, task slots, …) are on the same endpoint as ExportFlows' metrics.
            await Bounded.UntilAsync(async () => (await http.GetStringAsync("metrics")).Split('\n').Any(l => l.StartsWith("temporal_", StringComparison.Ordinal)),
                "Temporal SDK metrics on /metrics");
            // A date without predictions in the sample: the run is refused by the data guard, which shows the signal arrived.
            var date = UniqueGameDates.NextText();
            var body = ExportFlows.Tests.PubSub.PubSubPushEndpointTests.Envelope(ExportFlows.Tests.PubSub.PubSubPushEndpointTests.Phase5Message(date), $"m-{Guid.NewGuid():N}");

            var handle = TemporalTestServer.Client.GetWorkflowHandle<Phase6TonightWorkflow>("phase6-tonight-" + date);
            try
            {
                using var response = await http.PostAsync("pubsub/predictions-complete", new StringContent(body, System.Text.Encoding.UTF8, "application/json")).Within();

                Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
                await Bounded.UntilAsync(async () => (await Bounded.QueryOrDefaultAsync(() => handle.QueryAsync(wf => wf.Runs)))?.Count == 1, "the tonight run", TimeSpan.FromSeconds(90));
                var run = Assert.Single(await handle.QueryAsync(wf => wf.Runs).Within());
                Assert.Equal(MessageRunStatus.Rejected, run.Status);
                Assert.Contains("active predictions", run.Reason, StringComparison.Ordinal);
            }
            finally
            {
                // A push delivery keeps the workflow open for its 10-minute redelivery window.
                await ServerWorkflows.TerminateIfRunningAsync(handle.Id);
            }
        }
        finally
        {
            await app.StopAsync().Within();
        }
    }
}
