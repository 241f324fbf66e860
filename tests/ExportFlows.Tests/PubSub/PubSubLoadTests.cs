using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.PubSub;
using ExportFlows.Workflows.Orchestration;
using Temporalio.Client;
using Xunit.Abstractions;

namespace ExportFlows.Tests.PubSub;

/// <summary>
/// 1,000 pushes for 5 dates with 10 % redeliveries over loopback HTTP, 16 at a time: every push answered, none lost.
/// Throughput and latency are printed (recorded in benchmarks/RESULTS.md), not asserted.
/// </summary>
public sealed class PubSubLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Dates = ["2026-02-01", "2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05"];
    private readonly FakeGoogleCerts _certs = new();

    public Task InitializeAsync() => _certs.StartAsync();

    public Task DisposeAsync() => _certs.DisposeAsync().AsTask();

    private PubSubPushOptions Options => _certs.PushOptions();

    /// <summary>900 distinct messages (180 per date), then 100 of them delivered again, shuffled with a fixed seed.</summary>
    private static List<(string MessageId, string Date)> Deliveries()
    {
        var random = new Random(7);
        var unique = Enumerable.Range(0, 900).Select(i => ($"msg-{i:D4}", Dates[i % Dates.Length])).ToList();
        var redelivered = unique.OrderBy(_ => random.Next()).Take(100).ToList();
        return unique.Concat(redelivered).OrderBy(_ => random.Next()).ToList();
    }

    private async Task<(List<HttpStatusCode> Codes, List<double> LatenciesMs, TimeSpan Elapsed)> PushAllAsync(PushEndpointHost host, List<(string MessageId, string Date)> deliveries)
    {
        var token = _certs.Token(DateTimeOffset.UtcNow);
        var codes = new ConcurrentBag<HttpStatusCode>();
        var latencies = new ConcurrentBag<double>();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (delivery, cancellationToken) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseUri, "pubsub/predictions-complete"))
            {
                Content = new StringContent(PubSubPushEndpointTests.Envelope(PubSubPushEndpointTests.Phase5Message(delivery.Date), delivery.MessageId), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var one = Stopwatch.StartNew();
            using var response = await host.Http.SendAsync(request, cancellationToken);
            latencies.Add(one.Elapsed.TotalMilliseconds);
            codes.Add(response.StatusCode);
        }).Within(TimeSpan.FromSeconds(120));
        return (codes.ToList(), latencies.Order().ToList(), watch.Elapsed);
    }

    private void Report(string what, List<double> latencies, TimeSpan elapsed) =>
        output.WriteLine($"{what}: {latencies.Count} pushes in {elapsed.TotalSeconds:F2} s = {latencies.Count / elapsed.TotalSeconds:F0}/s; " +
            $"p50 {latencies[latencies.Count / 2]:F1} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:F1} ms");

    [Fact]
    public async Task Push_ThousandWithRedeliveries_EveryOneAnsweredAndSignalledOnce()
    {
        var temporal = new RecordingTonightClient();
        await using var host = await PushEndpointHost.StartAsync(Options, temporal.Client);
        var deliveries = Deliveries();

        var (codes, latencies, elapsed) = await PushAllAsync(host, deliveries);

        Report("recording client", latencies, elapsed);
        Assert.Equal(1000, codes.Count);
        Assert.All(codes, c => Assert.Equal(HttpStatusCode.OK, c));
        // The HTTP layer forwards every delivery, with its id; the workflow drops redeliveries by id.
        var calls = temporal.Calls.ToList();
        Assert.Equal(1000, calls.Count);
        Assert.Equal(900, calls.Select(c => c.DeliveryId).Distinct().Count());
        Assert.All(calls, c => Assert.Equal("phase6-tonight-" + c.Message.GetProperty("game_date").GetString(), c.WorkflowId));
        Assert.Equal(deliveries.GroupBy(d => d.Date).OrderBy(g => g.Key).Select(g => g.Count()),
            calls.GroupBy(c => c.WorkflowId).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(1000, host.Counters.Signalled);
    }

    [TemporalFact]
    public async Task Push_ThousandWithRedeliveriesOnTemporal_EveryUniqueMessageCountedOnceAndRunsCoalesced()
    {
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        var fake = new FakeExportActivities();
        using var worker = fake.TonightWorker(client, taskQueue);
        await using var host = await PushEndpointHost.StartAsync(Options, client, taskQueue);
        // Dates no other test of this server used: the tonight workflow ids are per date.
        var year = Random.Shared.Next(2001, 2099);
        var deliveries = Deliveries().Select(d => (d.MessageId + "-" + year, $"{year}{d.Date[4..]}")).ToList();

        await worker.ExecuteAsync(async () =>
        {
            var (codes, latencies, elapsed) = await PushAllAsync(host, deliveries);
            Report("real Temporal", latencies, elapsed);
            Assert.All(codes, c => Assert.Equal(HttpStatusCode.OK, c));
            foreach (var date in deliveries.Select(d => d.Item2).Distinct())
            {
                var handle = client.GetWorkflowHandle<Phase6TonightWorkflow>("phase6-tonight-" + date);
                var expected = deliveries.Where(d => d.Item2 == date).Select(d => d.Item1).Distinct().Count();
                await Bounded.UntilAsync(async () =>
                {
                    var delivered = await Bounded.QueryOrDefaultAsync(() => handle.QueryAsync(wf => wf.Deliveries));
                    var runs = await Bounded.QueryOrDefaultAsync(() => handle.QueryAsync(wf => wf.Runs));
                    return delivered?.Received == expected && runs?.Sum(r => r.Messages) == expected;
                }, $"every message of {date} handled", TimeSpan.FromSeconds(90));
                var final = await handle.QueryAsync(wf => wf.Deliveries);
                var runs = await handle.QueryAsync(wf => wf.Runs);
                Assert.Equal(deliveries.Count(d => d.Item2 == date) - expected, final.Duplicates);
                Assert.All(runs, r => Assert.Equal(TonightRunStatus.Exported, r.Status));
                Assert.True(runs.Count < expected, $"{runs.Count} runs for {expected} messages: coalescing did not happen");
                output.WriteLine($"{date}: {expected} messages, {final.Duplicates} redeliveries ignored, {runs.Count} export runs");
                await handle.TerminateAsync("test done");
            }
        }).Within(TimeSpan.FromSeconds(200));
    }
}
