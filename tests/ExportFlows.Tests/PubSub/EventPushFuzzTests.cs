using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ExportFlows.Tests.Events;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Orchestration;
using Xunit.Abstractions;

namespace ExportFlows.Tests.PubSub;

/// <summary>
/// Generated messages (wrong types, missing dates, unknown types, huge lists, other sports, broken JSON) pushed over
/// real HTTP to every event path of the shipped catalog: each is signalled (200, one signal-with-start of its event's
/// workflow) or refused (422 naming the field, nothing started); never a 5xx.
/// </summary>
public sealed class EventPushFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261208;
    private const int CasesPerPath = 150;
    private readonly FakeGoogleOidc _google = new();

    public Task InitializeAsync() => _google.StartAsync();

    public Task DisposeAsync() => _google.DisposeAsync().AsTask();

    [Theory]
    [InlineData("export-request")]
    [InlineData("grading-complete")]
    public async Task Push_GeneratedMessages_SignalledOr422NamingTheFieldNeverA5xx(string eventName)
    {
        var ev = ExportCatalog.Shipped.FindEvent(eventName)!;
        var random = new Random(Seed + eventName.Length);
        var types = ExportCatalog.Shipped.TypeNames.Take(12).ToList();
        var temporal = new RecordingTonightClient();
        await using var host = await PushEndpointHost.StartAsync(_google.PushOptions(), temporal.Client);
        var token = "Bearer " + _google.Token(DateTimeOffset.UtcNow);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        for (var i = 0; i < CasesPerPath; i++)
        {
            var message = EventMessageFuzzTests.Message(random, types);
            var before = temporal.Calls.Count;
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseUri, ev.Path.TrimStart('/')))
            {
                Content = new StringContent(PubSubPushEndpointTests.Envelope(message, $"f-{i}"), Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", token);
            using var response = await host.Http.SendAsync(request).Within();
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            var started = temporal.Calls.Count - before;
            var outcome = status switch
            {
                200 when started == 1 && temporal.Calls.Last().WorkflowId.StartsWith(EventWorkflowIds.Prefix + eventName + "-", StringComparison.Ordinal) => "signalled",
                422 when started == 0 && Field(text) is { Length: > 0 } field && Reason(text).Contains(field, StringComparison.Ordinal) => "refused " + field,
                400 when started == 0 => "bad-request",
                _ => null,
            };
            if (outcome is null)
            {
                failures.Add($"case {i}: {status}, {started} started: {text[..Math.Min(text.Length, 200)]}\n  {message[..Math.Min(message.Length, 200)]}");
                continue;
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine($"{eventName}, seed {Seed}, {CasesPerPath} cases: {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {CasesPerPath}:\n{string.Join("\n", failures.Take(5))}");
        Assert.True(outcomes.GetValueOrDefault("signalled") > CasesPerPath / 20, string.Join(", ", outcomes));
        Assert.True(outcomes.Count(o => o.Key.StartsWith("refused ", StringComparison.Ordinal)) >= 3, string.Join(", ", outcomes));
        Assert.Equal(outcomes.Where(o => o.Key.StartsWith("refused ", StringComparison.Ordinal)).Sum(o => o.Value), (int)host.Counters.Rejected);
    }

    private static string? Field(string json) => JsonDocument.Parse(json).RootElement.TryGetProperty("field", out var f) ? f.GetString() : null;

    private static string Reason(string json) => JsonDocument.Parse(json).RootElement.GetProperty("error").GetString()!;
}
