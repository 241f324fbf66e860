using System.Net;
using System.Text;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Worker.PubSub;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Xunit.Abstractions;

namespace ExportFlows.Tests.PubSub;

/// <summary>
/// Generated hostile pushes (seeded, deterministic, a few seconds): through the parser and the token verifier directly,
/// a typed rejection and never an exception; over real HTTP on Kestrel at 127.0.0.1, never a 5xx.
/// </summary>
public sealed class PushFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261201;
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly FakeGoogleOidc _google = new();

    public Task InitializeAsync() => _google.StartAsync();

    public Task DisposeAsync() => _google.DisposeAsync().AsTask();

    private static string Shown(byte[] body) => Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]);

    private void Report(string what, Dictionary<string, int> outcomes, int cases) =>
        output.WriteLine($"{what}, seed {Seed}, {cases} cases: {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}");

    [Fact]
    public void Envelopes_ThousandsGenerated_TypedRejectionNeverAnException()
    {
        const int cases = 5000;
        var fuzz = new PushFuzz(Seed, _google, Now);
        var outcomes = new Dictionary<string, int>();
        var failures = new List<string>();
        var withLoneSurrogate = 0;
        for (var i = 0; i < cases; i++)
        {
            var body = fuzz.Envelope();
            withLoneSurrogate += Encoding.UTF8.GetString(body).Contains("\\ud800", StringComparison.Ordinal) || Encoding.UTF8.GetString(body).Contains("\\udfff", StringComparison.Ordinal) ? 1 : 0;
            try
            {
                var outcome = PushEnvelope.TryParse(body, out var problem) is not { } envelope ? "bad-request"
                    : Published(envelope) ? "signal" : "rejected";
                Assert.True(outcome != "bad-request" || problem.Length > 0, "a 400 without a reason");
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
            catch (Exception ex)
            {
                failures.Add($"case {i}: {ex.GetType().Name}: {ex.Message}\n  {Shown(body)}");
            }
        }

        Report($"envelopes ({withLoneSurrogate} with a lone surrogate)", outcomes, cases);
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} threw:\n{string.Join("\n", failures.Take(5))}");
        // The generator reaches every answer, so a regression anywhere shows.
        Assert.All(new[] { "bad-request", "rejected", "signal" }, o => Assert.True(outcomes.GetValueOrDefault(o) > cases / 20, $"only {outcomes.GetValueOrDefault(o)} {o}"));
        Assert.True(withLoneSurrogate > cases / 10, $"only {withLoneSurrogate} with a lone surrogate");
    }

    private static bool Published(PushEnvelope envelope)
    {
        try
        {
            PublishedPredictionsComplete.Parse(envelope.DecodeDataBytes());
            return true;
        }
        catch (InvalidExportRequestException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Tokens_ThousandsGenerated_TypedCheckNeverAnException()
    {
        const int cases = 1000;
        var fuzz = new PushFuzz(Seed, _google, Now);
        var verifier = _google.Verifier();
        var outcomes = new Dictionary<string, int>();
        var failures = new List<string>();
        for (var i = 0; i < cases; i++)
        {
            var authorization = fuzz.Authorization();
            try
            {
                var check = await verifier.VerifyAsync(authorization, CancellationToken.None);
                Assert.Contains(check.Status, new[] { 200, 401, 403 });
                Assert.True(check.Accepted == (check.Status == 200) && check.Reason.Length > 0, $"{check}");
                outcomes[check.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = outcomes.GetValueOrDefault(check.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)) + 1;
            }
            catch (Exception ex)
            {
                failures.Add($"case {i}: {ex.GetType().Name}: {ex.Message}\n  {authorization[..Math.Min(authorization.Length, 300)]}");
            }
        }

        Report("tokens", outcomes, cases);
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} threw:\n{string.Join("\n", failures.Take(5))}");
        Assert.All(new[] { "200", "401", "403" }, o => Assert.True(outcomes.GetValueOrDefault(o) > 0, $"no {o}"));
    }

    [Fact]
    public async Task Push_HundredsGeneratedOverHttp_NeverA5xx()
    {
        const int cases = 300;
        var fuzz = new PushFuzz(Seed + 1, _google, DateTimeOffset.UtcNow);
        var temporal = new RecordingTonightClient();
        await using var host = await PushEndpointHost.StartAsync(_google.PushOptions(), temporal.Client);
        var goodToken = "Bearer " + _google.Token(DateTimeOffset.UtcNow);
        var goodBody = Encoding.UTF8.GetBytes(PubSubPushEndpointTests.Envelope(PubSubPushEndpointTests.Phase5Message(), "m-good"));
        var allowed = new[] { 200, 400, 401, 403, 413, 415 };
        var outcomes = new Dictionary<string, int>();
        var failures = new List<string>();
        for (var i = 0; i < cases; i++)
        {
            // A third hostile bodies, a third hostile tokens, a third both with a near-miss Content-Type; some too large.
            var kind = i % 3;
            var body = kind == 1 ? goodBody : fuzz.Envelope();
            if (i % 50 == 7)
            {
                body = [.. body, .. Encoding.ASCII.GetBytes(new string(' ', 300 * 1024))];
            }
            var authorization = kind == 0 ? goodToken : fuzz.Authorization();
            var contentType = kind == 2 ? fuzz.ContentType() : "application/json";
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseUri, "pubsub/predictions-complete")) { Content = new ByteArrayContent(body) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await host.Http.SendAsync(request).Within();
            var status = (int)response.StatusCode;
            outcomes[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = outcomes.GetValueOrDefault(status.ToString(System.Globalization.CultureInfo.InvariantCulture)) + 1;
            if (!allowed.Contains(status))
            {
                failures.Add($"case {i}: {status} {await response.Content.ReadAsStringAsync()}\n  {contentType} | {authorization[..Math.Min(authorization.Length, 80)]} | {Shown(body)}");
            }
        }

        Report("HTTP", outcomes, cases);
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} got a status outside {string.Join("/", allowed)}:\n{string.Join("\n", failures.Take(5))}");
        Assert.All(new[] { "200", "400", "401", "413", "415" }, o => Assert.True(outcomes.GetValueOrDefault(o) > 0, $"no {o}"));
    }
}
