using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.PubSub;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.PubSub;

/// <summary>The push endpoint against a real Temporal server and worker (export activities mocked).</summary>
public sealed class PubSubServerTests : IAsyncLifetime
{
    private readonly FakeGoogleOidc _google = new();

    public Task InitializeAsync() => _google.StartAsync();

    public Task DisposeAsync() => _google.DisposeAsync().AsTask();

    [TemporalFact]
    public async Task Push_ValidThenRedelivered_ExactlyOneExport()
    {
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        var fake = new FakeExportActivities();
        using var worker = fake.TonightWorker(client, taskQueue);
        await using var host = await PushEndpointHost.StartAsync(_google.PushOptions(), client, taskQueue);
        var date = UniqueGameDates.NextText();
        var body = PubSubPushEndpointTests.Envelope(PubSubPushEndpointTests.Phase5Message(date), $"pubsub-{Guid.NewGuid():N}");

        async Task<HttpStatusCode> PushAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseUri, "pubsub/predictions-complete"))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _google.Token(DateTimeOffset.UtcNow));
            using var response = await host.Http.SendAsync(request).Within();
            return response.StatusCode;
        }

        await worker.ExecuteAsync(async () =>
        {
            var handle = client.GetWorkflowHandle<Phase6TonightWorkflow>("phase6-tonight-" + date);
            try
            {
                Assert.Equal(HttpStatusCode.OK, await PushAsync());
                await Bounded.UntilAsync(async () => (await Bounded.QueryOrDefaultAsync(() => handle.QueryAsync(wf => wf.Runs)))?.Count == 1, "the first export run");

                // Pub/Sub did not see the ack and delivers the same message again, after the export.
                Assert.Equal(HttpStatusCode.OK, await PushAsync());
                await Bounded.UntilAsync(async () => (await Bounded.QueryOrDefaultAsync(() => handle.QueryAsync(wf => wf.Deliveries)))?.Duplicates == 1, "the redelivery");

                var runs = await handle.QueryAsync(wf => wf.Runs).Within();
                Assert.Equal(MessageRunStatus.Exported, Assert.Single(runs).Status);
                Assert.Equal(1, fake.CallsOf("subset-picks"));
                Assert.Equal(new MessageDeliveries(1, 1), await handle.QueryAsync(wf => wf.Deliveries).Within());
            }
            finally
            {
                // With a push delivery the workflow stays open for its 10-minute redelivery window.
                await ServerWorkflows.TerminateIfRunningAsync(handle.Id);
            }
        }).Within(TimeSpan.FromSeconds(90));
    }
}
