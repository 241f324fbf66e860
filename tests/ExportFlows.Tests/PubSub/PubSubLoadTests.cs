using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Worker.PubSub;
using ExportFlows.Workflows.Orchestration;
using Temporalio.Client;
using Temporalio.Converters;
using Xunit.Abstractions;

namespace ExportFlows.Tests.PubSub;

/// <summary>
/// 1,000 pushes for 5 dates with 10 % redeliveries over loopback HTTP, 16 at a time, delivered as Pub/Sub does: every
/// answer that is not 2xx is delivered again (in bounded rounds) until acknowledged. Every push ends acknowledged and
/// every unique message is handled exactly once. Throughput and latency are printed (benchmarks/RESULTS.md), not asserted.
/// </summary>
public sealed class PubSubLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int MaxRounds = 10;
    private static readonly string[] Dates = ["2026-02-01", "2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05"];
    private readonly FakeGoogleOidc _google = new();

    public Task InitializeAsync() => _google.StartAsync();

    public Task DisposeAsync() => _google.DisposeAsync().AsTask();

    private PubSubPushOptions Options => _google.PushOptions();

    private sealed record Delivery(string MessageId, string Date);

    /// <summary>What the subscription saw: the answers of every round, and what was still not acknowledged after the last.</summary>
    private sealed record Answer(int Round, string MessageId, HttpStatusCode Code, string Body);

    private sealed record PubSubRun(List<Answer> Answers, List<Delivery> Unacknowledged, int Rounds, List<double> LatenciesMs, TimeSpan Elapsed)
    {
        public List<Answer> Nacks => Answers.Where(a => (int)a.Code is < 200 or > 299).ToList();
    }

    /// <summary>900 distinct messages (180 per date), then 100 of them delivered again, shuffled with a fixed seed.</summary>
    private static List<Delivery> Deliveries()
    {
        var random = new Random(7);
        var unique = Enumerable.Range(0, 900).Select(i => new Delivery($"msg-{i:D4}", Dates[i % Dates.Length])).ToList();
        var redelivered = unique.OrderBy(_ => random.Next()).Take(100).ToList();
        return unique.Concat(redelivered).OrderBy(_ => random.Next()).ToList();
    }

    /// <summary>Pub/Sub's side: push each delivery; one not acknowledged (any non-2xx) is pushed again in the next round.</summary>
    private async Task<PubSubRun> DeliverAsPubSubAsync(PushEndpointHost host, List<Delivery> deliveries)
    {
        var token = _google.Token(DateTimeOffset.UtcNow);
        var answers = new ConcurrentQueue<Answer>();
        var latencies = new ConcurrentQueue<double>();
        var watch = Stopwatch.StartNew();
        var pending = deliveries;
        var round = 0;
        while (pending.Count > 0 && round < MaxRounds)
        {
            round++;
            var nacked = new ConcurrentQueue<Delivery>();
            var thisRound = round;
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (delivery, cancellationToken) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseUri, "pubsub/predictions-complete"))
                {
                    Content = new StringContent(PubSubPushEndpointTests.Envelope(PubSubPushEndpointTests.Phase5Message(delivery.Date), delivery.MessageId), Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var one = Stopwatch.StartNew();
                using var response = await host.Http.SendAsync(request, cancellationToken);
                latencies.Enqueue(one.Elapsed.TotalMilliseconds);
                answers.Enqueue(new Answer(thisRound, delivery.MessageId, response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken)));
                if (!response.IsSuccessStatusCode)
                {
                    nacked.Enqueue(delivery);
                }
            }).Within(TimeSpan.FromSeconds(120));
            pending = [.. nacked];
        }
        return new PubSubRun([.. answers], pending, round, [.. latencies.Order()], watch.Elapsed);
    }

    private void Report(string what, PubSubRun run)
    {
        var latencies = run.LatenciesMs;
        output.WriteLine($"{what}: {latencies.Count} pushes in {run.Elapsed.TotalSeconds:F2} s = {latencies.Count / run.Elapsed.TotalSeconds:F0}/s; " +
            $"p50 {latencies[latencies.Count / 2]:F1} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:F1} ms; {run.Rounds} round(s), " +
            $"not acknowledged: {string.Join(", ", run.Nacks.GroupBy(n => (int)n.Code).Select(g => $"{g.Count()}×{g.Key}"))}");
        foreach (var nack in run.Nacks.Take(5))
        {
            output.WriteLine($"  round {nack.Round}: {(int)nack.Code} {nack.Body}");
        }
    }

    private static void AssertEveryPushAcknowledgedAsSignalled(PubSubRun run, int deliveries)
    {
        Assert.Empty(run.Unacknowledged);
        var acknowledged = run.Answers.Where(a => a.Code == HttpStatusCode.OK).ToList();
        Assert.Equal(deliveries, acknowledged.Count);
        Assert.All(acknowledged, a => Assert.Equal("signalled", JsonDocument.Parse(a.Body).RootElement.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Push_ThousandWithRedeliveriesAndStartConflicts_EveryPushAcknowledgedEveryMessageSignalledOnce()
    {
        // The server's race, injected: 5 % of messages meet one start conflict, three meet it on every try of their first push.
        var random = new Random(11);
        var deliveries = Deliveries();
        var ids = deliveries.Select(d => d.MessageId).Distinct().ToList();
        var once = ids.Where(_ => random.NextDouble() < 0.05).ToHashSet();
        var deliveredOnce = deliveries.GroupBy(d => d.MessageId).Where(g => g.Count() == 1).Select(g => g.Key);
        var stubborn = deliveredOnce.Except(once).OrderBy(_ => random.Next()).Take(3).ToHashSet();
        var tries = new ConcurrentDictionary<string, int>();
        var temporal = new RecordingTonightClient
        {
            Fail = call =>
            {
                var attempt = tries.AddOrUpdate(call.DeliveryId!, 1, (_, n) => n + 1);
                var conflict = (once.Contains(call.DeliveryId!) && attempt == 1) || (stubborn.Contains(call.DeliveryId!) && attempt <= ConflictRetryPolicy.Default.MaxAttempts);
                return conflict ? new Temporalio.Exceptions.WorkflowAlreadyStartedException("WorkflowId: " + call.WorkflowId, call.WorkflowId, "Phase6TonightWorkflow", "r") : null;
            },
        };
        await using var host = await PushEndpointHost.StartAsync(Options, temporal.Client);

        var run = await DeliverAsPubSubAsync(host, deliveries);

        Report("recording client", run);
        AssertEveryPushAcknowledgedAsSignalled(run, deliveries.Count);
        // The stubborn messages were answered 409 once each (their first push), then acknowledged on redelivery; nothing else was refused.
        Assert.Equal(stubborn.Order(), run.Nacks.Select(n => n.MessageId).Order());
        Assert.All(run.Nacks, n => Assert.Equal((HttpStatusCode.Conflict, 1), (n.Code, n.Round)));
        Assert.Equal(2, run.Rounds);
        Assert.Equal((0, 3L), (host.Counters.Unavailable, host.Counters.Of(PushOutcome.ConflictExhausted)));
        Assert.Equal(once.Count, host.Counters.Of(PushOutcome.ConflictResolved));
        // Each acknowledged push signalled once with its delivery id (the workflow drops the redeliveries by that id).
        var calls = temporal.Calls.ToList();
        Assert.Equal(deliveries.Count, calls.Count);
        Assert.Equal(deliveries.GroupBy(d => d.MessageId).ToDictionary(g => g.Key, g => g.Count()),
            calls.GroupBy(c => c.DeliveryId!).ToDictionary(g => g.Key, g => g.Count()));
        Assert.All(calls, c => Assert.Equal("phase6-tonight-" + c.Message.GetProperty("game_date").GetString(), c.WorkflowId));
        Assert.Equal(deliveries.Count, host.Counters.Signalled);
    }

    [TemporalFact]
    public async Task Push_ThousandWithRedeliveriesOnTemporal_EveryPushAcknowledgedEveryUniqueMessageHandledOnce()
    {
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        var fake = new FakeExportActivities();
        using var worker = fake.TonightWorker(client, taskQueue);
        await using var host = await PushEndpointHost.StartAsync(Options, client, taskQueue);
        // Dates no other test of this server used: the tonight workflow ids are per date.
        var dates = Dates.ToDictionary(d => d, _ => UniqueGameDates.NextText());
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var deliveries = Deliveries().Select(d => new Delivery($"{d.MessageId}-{suffix}", dates[d.Date])).ToList();

        await worker.ExecuteAsync(async () =>
        {
            try
            {
                var pushed = await DeliverAsPubSubAsync(host, deliveries);
                Report("real Temporal", pushed);
                output.WriteLine($"start conflicts resolved by retry: {host.Counters.Of(PushOutcome.ConflictResolved)}, exhausted: {host.Counters.Of(PushOutcome.ConflictExhausted)}");
                AssertEveryPushAcknowledgedAsSignalled(pushed, deliveries.Count);
                // Temporal was reachable throughout: a start conflict is never reported as Temporal unavailable.
                Assert.Equal(0, host.Counters.Unavailable);
                Assert.DoesNotContain(pushed.Nacks, n => n.Code == HttpStatusCode.ServiceUnavailable);
                foreach (var date in dates.Values)
                {
                    await AssertHandledOnceAsync(client, date, deliveries.Where(d => d.Date == date).ToList());
                }
            }
            finally
            {
                // Every date's workflow, not only those asserted: with push deliveries each stays open 10 minutes.
                foreach (var date in dates.Values)
                {
                    await ServerWorkflows.TerminateIfRunningAsync("phase6-tonight-" + date);
                }
            }
        }).Within(TimeSpan.FromSeconds(200));
    }

    /// <summary>At the workflow: every unique delivery id received once, the rest ignored as redeliveries, each counted in one run.</summary>
    private async Task AssertHandledOnceAsync(ITemporalClient client, string date, List<Delivery> deliveries)
    {
        var handle = client.GetWorkflowHandle<Phase6TonightWorkflow>("phase6-tonight-" + date);
        var unique = deliveries.Select(d => d.MessageId).ToHashSet();
        await Bounded.UntilAsync(async () =>
        {
            var delivered = await Bounded.QueryOrDefaultAsync(() => handle.QueryAsync(wf => wf.Deliveries));
            var runs = await Bounded.QueryOrDefaultAsync(() => handle.QueryAsync(wf => wf.Runs));
            return delivered?.Received == unique.Count && runs?.Sum(r => r.Messages) == unique.Count;
        }, $"every message of {date} handled", TimeSpan.FromSeconds(90));
        var final = await handle.QueryAsync(wf => wf.Deliveries).Within();
        var runs = await handle.QueryAsync(wf => wf.Runs).Within();
        var history = await handle.FetchHistoryAsync().Within();
        var signalled = history.Events.Select(e => e.WorkflowExecutionSignaledEventAttributes).Where(a => a is not null)
            .Select(a => DataConverter.Default.PayloadConverter.ToValue<string>(a!.Input.Payloads_[1])).ToList();

        Assert.Equal(unique.Order(), signalled.Distinct().Order());
        Assert.Equal(signalled.Count - unique.Count, final.Duplicates);
        Assert.Equal(unique.Count, final.Received);
        Assert.All(runs, r => Assert.Equal(MessageRunStatus.Exported, r.Status));
        Assert.True(runs.Count < unique.Count, $"{runs.Count} runs for {unique.Count} messages: coalescing did not happen");
        output.WriteLine($"{date}: {unique.Count} messages, {signalled.Count} signals, {final.Duplicates} redeliveries ignored, {runs.Count} export runs");
    }
}
