using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Worker.PubSub;

namespace ExportFlows.Tests.PubSub;

/// <summary>The push endpoint over real HTTP: authentication, answer codes, and exactly what it signals.</summary>
public sealed class PubSubPushEndpointTests : IAsyncLifetime
{
    private readonly FakeGoogleOidc _google = new();
    private readonly RecordingTonightClient _temporal = new();
    private PushEndpointHost _host = null!;

    private PubSubPushOptions Options => _google.PushOptions();

    public async Task InitializeAsync()
    {
        await _google.StartAsync();
        _host = await PushEndpointHost.StartAsync(Options, _temporal.Client);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _google.DisposeAsync();
    }

    public static string Phase5Message(string gameDate = "2026-02-03", string status = "success") =>
        File.ReadAllText(Path.Combine(RepositoryFiles.Root, "examples", "predictions-complete.json"))
            .Replace("2026-02-03", gameDate, StringComparison.Ordinal)
            .Replace("\"status\": \"success\"", $"\"status\": \"{status}\"", StringComparison.Ordinal);

    public static string Envelope(string data, string messageId) => JsonSerializer.Serialize(new
    {
        message = new { data = Convert.ToBase64String(Encoding.UTF8.GetBytes(data)), attributes = new { source = "phase5" }, messageId, publishTime = "2026-02-03T12:31:08Z" },
        subscription = "projects/nba-props-platform/subscriptions/phase6-exportflows-push",
    });

    private Task<HttpResponseMessage> PushAsync(string body, string? token, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.BaseUri, "pubsub/predictions-complete"))
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return _host.Http.SendAsync(request).Within();
    }

    private string GoodToken => _google.Token(DateTimeOffset.UtcNow);

    [Fact]
    public async Task Push_ValidSignedMessage_SignalsTonightWorkflowWithMessageIdAndAnswers200()
    {
        using var response = await PushAsync(Envelope(Phase5Message(), "1234567890"), GoodToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("signalled", answer.RootElement.GetProperty("status").GetString());
        var call = Assert.Single(_temporal.Calls);
        Assert.Equal(("phase6-tonight-2026-02-03", "PredictionsComplete", "1234567890", 2), (call.WorkflowId, call.Signal, call.DeliveryId, call.Arguments));
        Assert.Equal("2026-02-03", call.Message.GetProperty("game_date").GetString());
        Assert.Equal("batch_2026-02-03_1770100000", call.Message.GetProperty("correlation_id").GetString());
    }

    public static TheoryData<string> BadTokens => new() { "no-token", "garbage", "other-key", "wrong-audience", "expired", "not-google", "unknown-key" };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Push_BadToken_401AndNothingStarted(string kind)
    {
        using var otherKey = RSA.Create(2048);
        var now = DateTimeOffset.UtcNow;
        var token = kind switch
        {
            "no-token" => null,
            "garbage" => "not.a.jwt",
            "other-key" => _google.Token(now, signWith: otherKey),
            "wrong-audience" => _google.Token(now, audience: "https://somewhere-else.example.com/"),
            "expired" => _google.Token(now.AddHours(-2), lifetime: TimeSpan.FromHours(1)),
            "not-google" => _google.Token(now, issuer: "https://evil.example.com"),
            "unknown-key" => _google.Token(now, keyId: "rotated-away"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        using var response = await PushAsync(Envelope(Phase5Message(), "m-1"), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_temporal.Calls);
        Assert.Equal(1, _host.Counters.Unauthorized);
    }

    [Fact]
    public async Task Push_ServiceAccountNotAllowed_403AndNothingStarted()
    {
        using var response = await PushAsync(Envelope(Phase5Message(), "m-1"), _google.Token(DateTimeOffset.UtcNow, email: "intruder@other-project.iam.gserviceaccount.com"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("intruder@other-project.iam.gserviceaccount.com", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_temporal.Calls);
    }

    [Theory]
    [InlineData("{\"subscription\": \"x\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"message\": {\"data\": \"e30=\"}}", HttpStatusCode.BadRequest)]
    [InlineData("not json at all", HttpStatusCode.BadRequest)]
    [InlineData("[1, 2, 3]", HttpStatusCode.BadRequest)]
    public async Task Push_NotAPushEnvelope_400AndNothingStarted(string body, HttpStatusCode expected)
    {
        using var response = await PushAsync(body, GoodToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_temporal.Calls);
    }

    [Theory]
    [InlineData("{\"game_date\": \"2026-02-30\", \"status\": \"success\"}")]
    [InlineData("{\"status\": \"success\"}")]
    [InlineData("just text")]
    public async Task Push_MalformedMessage_AcknowledgedAsRejectedCountedAndNothingStarted(string data)
    {
        using var response = await PushAsync(Envelope(data, "m-bad"), GoodToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("rejected", answer.RootElement.GetProperty("status").GetString());
        Assert.Empty(_temporal.Calls);
        Assert.Equal(1, _host.Counters.Rejected);
        Assert.Contains(_host.Logs.Messages, m => m.Contains("Rejected push message m-bad", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Push_DataNotBase64_AcknowledgedAsRejected()
    {
        var body = "{\"message\": {\"data\": \"@@not-base64@@\", \"messageId\": \"m-2\"}, \"subscription\": \"s\"}";

        using var response = await PushAsync(body, GoodToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("not base64", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_temporal.Calls);
    }

    [Fact]
    public async Task Push_WrongContentType_415()
    {
        using var response = await PushAsync(Envelope(Phase5Message(), "m-1"), GoodToken, "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(_temporal.Calls);
    }

    [Fact]
    public async Task Push_BodyOverTheLimit_413()
    {
        var huge = Envelope(Phase5Message().Replace("\"phase\":", $"\"padding\": \"{new string('x', 300 * 1024)}\", \"phase\":", StringComparison.Ordinal), "m-1");

        using var response = await PushAsync(huge, GoodToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_temporal.Calls);
    }

    [Fact]
    public async Task Push_TemporalUnreachable_503SoPubSubRetries()
    {
        await using var down = await PushEndpointHost.StartAsync(Options,
            new Temporalio.Client.TemporalClient(Temporalio.Client.TemporalConnection.CreateLazy(new("127.0.0.1:1")), new()));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(down.BaseUri, "pubsub/predictions-complete"))
        {
            Content = new StringContent(Envelope(Phase5Message(), "m-1"), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GoodToken);

        using var response = await down.Http.SendAsync(request).Within();

        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, string.Join("\n", down.Logs.Messages));
        Assert.True(response.Headers.RetryAfter is not null);
        Assert.Equal(1, down.Counters.Unavailable);
    }

    [Fact]
    public async Task Push_MessageAsPublished_SignalArgumentIsThePublishedBytes()
    {
        // What a serializer would change: an unknown field, a number written 100.0, a '+', an escape, a raw non-ASCII letter.
        var published = Phase5Message().Replace("\"phase\":", "\"note\": \"caf\\u00e9 + café\", \"phase\":", StringComparison.Ordinal);
        Assert.Contains("\"completion_pct\": 100.0", published, StringComparison.Ordinal);

        using var response = await PushAsync(Envelope(published, "m-bytes"), GoodToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(_temporal.Calls);
        Assert.Equal(Encoding.UTF8.GetBytes(published), call.MessageBytes);
        Assert.Equal("json/plain", call.MessageEncoding);
        Assert.Equal(412, call.Message.GetProperty("record_count").GetInt32());
        Assert.Equal("PredictionCoordinator", call.Message.GetProperty("processor_name").GetString());
    }

    [Theory]
    [MemberData(nameof(PushEnvelopeTests.LoneSurrogates), MemberType = typeof(PushEnvelopeTests))]
    public async Task Push_LoneSurrogateInEnvelopeField_400WithTheReason(string field, string body, string path)
    {
        using var response = await PushAsync(body, GoodToken);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field}: {(int)response.StatusCode}");
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(path, answer.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(_temporal.Calls);
        Assert.Equal(1, _host.Counters.Of(PushOutcome.BadRequest));
    }

    [Theory]
    [InlineData("{\"alg\": \"RS256\", \"kid\": \"\\ud800\", \"typ\": \"JWT\"}", null)]
    [InlineData(FakeGoogleOidc.HeaderJson, "\"\\udfff\"")]
    public async Task Push_LoneSurrogateInTokenKeyIdOrIssuer_401NotAServerError(string header, string? issuer)
    {
        var claims = FakeGoogleOidc.ClaimsJson(DateTimeOffset.UtcNow, issuer is null ? null : new Dictionary<string, string?> { ["iss"] = issuer });

        using var response = await PushAsync(Envelope(Phase5Message(), "m-1"), _google.Sign(header, claims));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("malformed token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_temporal.Calls);
    }

    [Fact]
    public async Task Push_SignedTokenExpiringAfterTheLastDate_401NotAServerError()
    {
        var claims = FakeGoogleOidc.ClaimsJson(DateTimeOffset.UtcNow, new Dictionary<string, string?> { ["exp"] = "1000000000000000000" });

        using var response = await PushAsync(Envelope(Phase5Message(), "m-1"), _google.Sign(FakeGoogleOidc.HeaderJson, claims));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not a time in seconds since 1970", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_SigningKeysCannotBeFetched_503WithRetryAfterAndNothingStarted()
    {
        _google.FailWith = 500;

        using var response = await PushAsync(Envelope(Phase5Message(), "m-1"), GoodToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("signing keys could not be fetched", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_temporal.Calls);
        Assert.Equal(1, _host.Counters.Of(PushOutcome.KeysUnavailable));
        Assert.Contains(_host.Logs.Messages, m => m.Contains("Could not check the token of a push", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("application/jsonx")]
    [InlineData("application/json-patch+json")]
    [InlineData("application/json; charset=latin1")]
    public async Task Push_ContentTypeThatIsNotJson_415(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.BaseUri, "pubsub/predictions-complete"))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Envelope(Phase5Message(), "m-1"))),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GoodToken);

        using var response = await _host.Http.SendAsync(request).Within();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(_temporal.Calls);
    }

    [Fact]
    public async Task Push_JsonWithCharsetParameter_Signalled()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.BaseUri, "pubsub/predictions-complete"))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Envelope(Phase5Message(), "m-1"))),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=UTF-8");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GoodToken);

        using var response = await _host.Http.SendAsync(request).Within();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_temporal.Calls);
    }

    private static Temporalio.Exceptions.WorkflowAlreadyStartedException StartConflict(string workflowId) =>
        new($"WorkflowId: {workflowId}, RunId: 7ac0cc50-0000-4000-8000-000000000000", workflowId, "Phase6TonightWorkflow", "7ac0cc50-0000-4000-8000-000000000000");

    [Fact]
    public async Task Push_StartConflictTwice_SignalledOnTheThirdTryAndCountedAsResolved()
    {
        var conflicts = 0;
        _temporal.Fail = call => Interlocked.Increment(ref conflicts) <= 2 ? StartConflict(call.WorkflowId) : null;

        using var response = await PushAsync(Envelope(Phase5Message(), "m-race"), GoodToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("m-race", 2), (Assert.Single(_temporal.Calls).DeliveryId, _temporal.Failed));
        Assert.Equal((1, 0, 1), (_host.Counters.Of(PushOutcome.ConflictResolved), _host.Counters.Unavailable, _host.Counters.Signalled));
        Assert.Contains(_host.Logs.Messages, m => m.Contains("signalled phase6-tonight-2026-02-03 on try 3: the workflow was starting or closing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Push_StartConflictOnEveryTry_409WithRetryAfterCountedAsExhaustedNotUnavailable()
    {
        var temporal = new RecordingTonightClient { Fail = call => StartConflict(call.WorkflowId) };
        await using var host = await PushEndpointHost.StartAsync(Options, temporal.Client, retry: new SignalWithStartRetry(ConflictRetryPolicy.Default, (_, _) => Task.CompletedTask));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseUri, "pubsub/predictions-complete"))
        {
            Content = new StringContent(Envelope(Phase5Message(), "m-race"), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GoodToken);

        using var response = await host.Http.SendAsync(request).Within();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("starting or closing on each of 5 signal-with-start tries", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(5, temporal.Failed);
        Assert.Equal((1, 0), (host.Counters.Of(PushOutcome.ConflictExhausted), host.Counters.Unavailable));
        Assert.Contains(host.Logs.Messages, m => m.Contains("Temporal is reachable, answered 409 so Pub/Sub redelivers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Push_TemporalRefusesTheCall_503CountedAsRefusedWithWhatToCheck()
    {
        _temporal.Fail = _ => new Temporalio.Exceptions.RpcException(Temporalio.Exceptions.RpcException.StatusCode.PermissionDenied, "namespace access denied", null);

        using var response = await PushAsync(Envelope(Phase5Message(), "m-1"), GoodToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal((1, 0), (_host.Counters.Of(PushOutcome.TemporalRefused), _host.Counters.Unavailable));
        Assert.Contains(_host.Logs.Messages, m => m.Contains("Temporal refused push m-1", StringComparison.Ordinal) && m.Contains("namespace access denied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_ProcessUp_HealthzOkReadyzSaysWhatIsMissing()
    {
        using var health = await _host.Http.GetAsync(new Uri(_host.BaseUri, "healthz")).Within();
        using var ready = await _host.Http.GetAsync(new Uri(_host.BaseUri, "readyz")).Within();

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var answer = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("none hosted", answer.RootElement.GetProperty("worker").GetString());
        Assert.StartsWith("unreachable", answer.RootElement.GetProperty("temporal").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_NoAudienceOrAccountsWithoutInsecureFlag_RefusedWithWhatToSet()
    {
        var error = Assert.Throws<ExportFlows.Workflows.Planning.InvalidExportRequestException>(() => new PubSubPushOptions().Validated());

        Assert.Contains("PubSub__Audience", error.Message, StringComparison.Ordinal);
        Assert.True(new PubSubPushOptions { InsecureNoAuth = true }.Validated().InsecureNoAuth);
    }

    [Theory]
    [InlineData("http://accounts.example.com", null)]
    [InlineData("accounts.google.com", null)]
    [InlineData("https://accounts.google.com", "http://keys.example.com/oauth2/v3/certs")]
    public void Options_AuthorityOrKeysNotHttps_RefusedNamingTheSettings(string authority, string? certificates)
    {
        var options = Options with { Authority = authority, CertificatesUrl = certificates };

        var errors = new[] { options, options with { InsecureNoAuth = true } }
            .Select(o => Assert.Throws<ExportFlows.Workflows.Planning.InvalidExportRequestException>(() => o.Validated()).Message);

        Assert.All(errors, e => Assert.Contains("PubSub__Authority", e, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Contains("PubSub__CertificatesUrl", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Options_DefaultsOrPlainHttpOnThisMachine_Accepted()
    {
        Assert.Equal("https://accounts.google.com", (Options with { Authority = new PubSubPushOptions().Authority }).Validated().Authority);
        Assert.StartsWith("http://127.0.0.1:", Options.Validated().Authority, StringComparison.Ordinal);
    }
}
