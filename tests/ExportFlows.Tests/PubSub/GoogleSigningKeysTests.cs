using ExportFlows.Tests.Support;
using ExportFlows.Worker.PubSub;

namespace ExportFlows.Tests.PubSub;

/// <summary>
/// The signing keys over real HTTP from the in-test OpenID provider: key rotation, Google's endpoints failing, and how
/// often they are asked.
/// </summary>
public sealed class GoogleSigningKeysTests : IAsyncLifetime
{
    private const string Certificates = FakeGoogleOidc.CertificatesPath;
    private const string Discovery = FakeGoogleOidc.DiscoveryPath;
    private readonly FakeGoogleOidc _google = new();
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private GoogleOidcTokenVerifier _verifier = null!;

    public async Task InitializeAsync()
    {
        await _google.StartAsync();
        _verifier = _google.Verifier(_clock);
    }

    public Task DisposeAsync() => _google.DisposeAsync().AsTask();

    private Task<TokenCheck> VerifyAsync(string? keyId = null) =>
        _verifier.VerifyAsync("Bearer " + _google.Token(DateTimeOffset.UtcNow, keyId: keyId), CancellationToken.None).Within();

    [Fact]
    public async Task VerifyAsync_FirstToken_DiscoveryThenKeySetFetchedOnceAndCached()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await VerifyAsync()).Accepted);
        }

        Assert.Equal((1, 1), (_google.Fetches(Discovery), _google.Fetches(Certificates)));
    }

    [Fact]
    public async Task VerifyAsync_KeyRotated_NewKeyAcceptedOnItsFirstTokenRetiredKeyRefused()
    {
        var retired = _google.Token(DateTimeOffset.UtcNow);
        Assert.True((await VerifyAsync()).Accepted);

        _google.Rotate("test-key-2");
        var rotated = await VerifyAsync();
        var old = await _verifier.VerifyAsync("Bearer " + retired, CancellationToken.None).Within();

        // The unknown key id refetched the keys within the same request: no 401 while Google's new key is fetched.
        Assert.True(rotated.Accepted, rotated.Reason);
        Assert.Equal(2, _google.Fetches(Certificates));
        Assert.Equal(401, old.Status);
        Assert.StartsWith("token's key id is not one of Google's signing keys", old.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_ManyUnknownKeyIds_KeysRefetchedOnceNotPerToken()
    {
        Assert.True((await VerifyAsync()).Accepted);

        var checks = new List<TokenCheck>();
        for (var i = 0; i < 5; i++)
        {
            checks.Add(await VerifyAsync($"random-{i}"));
        }

        Assert.All(checks, c => Assert.Equal(401, c.Status));
        Assert.Equal(2, _google.Fetches(Certificates));
    }

    [Fact]
    public async Task VerifyAsync_FirstFetchFails_503NamingTheAnswerAndTheAddress()
    {
        _google.FailWith = 500;

        var check = await VerifyAsync();

        Assert.Equal(503, check.Status);
        Assert.Contains("signing keys could not be fetched", check.Reason, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", check.Reason, StringComparison.Ordinal);
        Assert.Contains(new Uri(_google.BaseUri, Discovery.TrimStart('/')).ToString(), check.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"keys\": 5}")]
    [InlineData("{\"keys\": []}")]
    [InlineData("{\"keys\": [{\"kty\": \"RSA\", \"kid\": \"k\", \"n\": \"@@@\", \"e\": \"AQAB\"}]}")]
    [InlineData("{\"keys\": [{\"kty\": \"EC\", \"kid\": \"k\"}]}")]
    [InlineData("{\"keys\": [{\"kty\": \"RSA\", \"kid\": \"\\ud800\", \"n\": \"AQAB\", \"e\": \"AQAB\"}]}")]
    public async Task VerifyAsync_AnswerNotAKeySet_503NotAnException(string body)
    {
        _google.KeySetBody = body;

        var check = await VerifyAsync();

        Assert.Equal(503, check.Status);
        Assert.Contains("signing keys could not be fetched", check.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(503, "")]
    [InlineData(200, "not json")]
    [InlineData(200, "{\"issuer\": 5}")]
    public async Task VerifyAsync_DiscoveryDocumentUnusable_503(int status, string body)
    {
        (_google.FailWith, _google.FailureBody) = (status, body);

        var check = await VerifyAsync();

        Assert.Equal(503, check.Status);
    }

    [Fact]
    public async Task VerifyAsync_RefetchFailsWithKeysHeld_HeldKeysStayInUseUnknownKeyUnavailable()
    {
        Assert.True((await VerifyAsync()).Accepted);
        _google.FailWith = 500;

        var unknown = await VerifyAsync("rotated-in");
        var known = await VerifyAsync();

        // A key id that could not be checked because of the failure is not called unknown: Pub/Sub redelivers.
        Assert.Equal(503, unknown.Status);
        Assert.Contains("HTTP 500", unknown.Reason, StringComparison.Ordinal);
        Assert.True(known.Accepted, known.Reason);
        Assert.Equal(2, _google.Fetches(Discovery));
    }

    [Fact]
    public async Task VerifyAsync_TokensWhileTheFirstFetchFails_TriedAgainOnlyAfterAMinute()
    {
        _google.FailWith = 500;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(503, (await VerifyAsync($"random-{i}")).Status);
        }
        Assert.Single(_google.Requests);

        _google.FailWith = null;
        _clock.Advance(GoogleSigningKeys.RefetchInterval);

        // The library adds its own back-off of a few seconds (randomised) before the first fetch succeeds.
        await Bounded.UntilAsync(async () => (await VerifyAsync()).Accepted, "the keys fetched once Google answers", TimeSpan.FromSeconds(40));
    }

    [Fact]
    public async Task VerifyAsync_CertificatesUrlSet_KeysReadFromItWithoutDiscovery()
    {
        var options = _google.PushOptions() with { Authority = "https://accounts.google.com", CertificatesUrl = _google.CertificatesUrl.ToString() };
        var verifier = new GoogleOidcTokenVerifier(_google.SigningKeys(options: options), options);

        var check = await verifier.VerifyAsync("Bearer " + _google.Token(DateTimeOffset.UtcNow), CancellationToken.None).Within();

        Assert.True(check.Accepted, check.Reason);
        Assert.Equal((0, 1), (_google.Fetches(Discovery), _google.Fetches(Certificates)));
    }
}
