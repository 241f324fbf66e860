using ExportFlows.Tests.Support;
using ExportFlows.Worker.PubSub;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Tests.PubSub;

/// <summary>Tokens no Google signer produces, checked in-process: a 401 naming the problem, never an exception.</summary>
public sealed class GoogleOidcTokenVerifierTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 2, 3, 12, 31, 8, TimeSpan.Zero);
    private readonly FakeGoogleCerts _certs = new();

    private GoogleOidcTokenVerifier Verifier(ISigningKeySource? keys = null) =>
        new(keys ?? _certs.InProcessKeys, Options, new ManualClock(Now));

    private static PubSubPushOptions Options => new() { Audience = FakeGoogleCerts.Audience, AllowedServiceAccounts = [FakeGoogleCerts.ServiceAccount] };

    private Task<TokenCheck> VerifyAsync(string token, ISigningKeySource? keys = null) => Verifier(keys).VerifyAsync("Bearer " + token, CancellationToken.None);

    [Fact]
    public async Task VerifyAsync_GoodToken_AcceptedWithTheServiceAccount()
    {
        var check = await VerifyAsync(_certs.Sign(FakeGoogleCerts.HeaderJson, FakeGoogleCerts.ClaimsJson(Now)));

        Assert.Equal((true, 200, FakeGoogleCerts.ServiceAccount), (check.Accepted, check.Status, check.Email));
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udfff")]
    [InlineData("key\\udc00")]
    public async Task VerifyAsync_LoneSurrogateInKeyId_401MalformedToken(string kid)
    {
        var check = await VerifyAsync(_certs.Sign($"{{\"alg\": \"RS256\", \"kid\": \"{kid}\", \"typ\": \"JWT\"}}", FakeGoogleCerts.ClaimsJson(Now)));

        Assert.Equal((401, "malformed token: header.kid is not valid Unicode text"), (check.Status, check.Reason));
    }

    [Theory]
    [InlineData("iss", "\"\\ud800\"", "malformed token: claims.iss is not valid Unicode text")]
    [InlineData("iss", "\"https://accounts.google.com\\udfff\"", "malformed token: claims.iss is not valid Unicode text")]
    [InlineData("email", "\"\\ud800@x\"", "malformed token: claims.email is not valid Unicode text")]
    [InlineData("aud", "[\"\\udfff\"]", "malformed token: claims.aud[0] is not valid Unicode text")]
    public async Task VerifyAsync_LoneSurrogateInSignedClaim_401MalformedToken(string claim, string value, string reason)
    {
        var check = await VerifyAsync(_certs.Sign(FakeGoogleCerts.HeaderJson, FakeGoogleCerts.ClaimsJson(Now, new Dictionary<string, string?> { [claim] = value })));

        Assert.Equal((401, reason), (check.Status, check.Reason));
    }

    [Theory]
    [InlineData("exp", "1000000000000000000")]
    [InlineData("exp", "253402300800")]
    [InlineData("exp", "-1")]
    [InlineData("exp", "9223372036854775808")]
    [InlineData("exp", "1e18")]
    [InlineData("exp", "\"1770127868\"")]
    [InlineData("iat", "1000000000000000000")]
    [InlineData("iat", "-62135596801")]
    public async Task VerifyAsync_TimeClaimNoDateCanHold_401NotAnException(string claim, string value)
    {
        var check = await VerifyAsync(_certs.Sign(FakeGoogleCerts.HeaderJson, FakeGoogleCerts.ClaimsJson(Now, new Dictionary<string, string?> { [claim] = value })));

        Assert.Equal((401, "token exp or iat is not a time in seconds since 1970 (0 to 253402300799)"), (check.Status, check.Reason));
    }

    [Fact]
    public async Task VerifyAsync_ExpAtTheLastSecondADateHolds_AcceptedWithoutOverflow()
    {
        var check = await VerifyAsync(_certs.Sign(FakeGoogleCerts.HeaderJson, FakeGoogleCerts.ClaimsJson(Now, new Dictionary<string, string?> { ["exp"] = "253402300799" })));

        Assert.True(check.Accepted, check.Reason);
    }

    [Theory]
    [InlineData("exp", "token has no expiry (exp)")]
    [InlineData("iss", "token not issued by Google")]
    [InlineData("aud", "wrong audience")]
    public async Task VerifyAsync_ClaimMissing_401NamingIt(string claim, string reason)
    {
        var check = await VerifyAsync(_certs.Sign(FakeGoogleCerts.HeaderJson, FakeGoogleCerts.ClaimsJson(Now, new Dictionary<string, string?> { [claim] = null })));

        Assert.Equal((401, reason), (check.Status, check.Reason));
    }

    [Theory]
    [InlineData("[1, 2]", "{}")]
    [InlineData("{\"alg\": \"RS256\", \"kid\": \"test-key-1\"}", "\"claims\"")]
    [InlineData("null", "null")]
    public async Task VerifyAsync_HeaderOrClaimsNotObjects_401(string header, string claims)
    {
        var check = await VerifyAsync(_certs.Sign(header, claims));

        Assert.Equal((401, "malformed token: header and claims must be JSON objects"), (check.Status, check.Reason));
    }

    [Fact]
    public async Task VerifyAsync_KeysCannotBeFetched_503NamingTheCause()
    {
        var check = await VerifyAsync(_certs.Sign(FakeGoogleCerts.HeaderJson, FakeGoogleCerts.ClaimsJson(Now)), new UnavailableKeys());

        Assert.Equal((false, 503), (check.Accepted, check.Status));
        Assert.Contains("signing keys could not be fetched", check.Reason, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _certs.DisposeAsync();

    private sealed class UnavailableKeys : ISigningKeySource
    {
        public Task<System.Security.Cryptography.RSA?> FindAsync(string keyId, CancellationToken cancellationToken) =>
            throw new SigningKeysUnavailableException("cannot check the token's key: Google's signing keys could not be fetched from https://x (HTTP 500)");
    }
}

/// <summary>Google's key endpoint failing, over real HTTP: what the key source does with the keys it holds.</summary>
public sealed class JwksSigningKeySourceTests : IAsyncLifetime
{
    private readonly FakeGoogleCerts _certs = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 2, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private JwksSigningKeySource _keys = null!;

    public async Task InitializeAsync()
    {
        await _certs.StartAsync();
        _keys = new JwksSigningKeySource(_http, _certs.CertificatesUrl, _clock, NullLogger<JwksSigningKeySource>.Instance);
    }

    [Fact]
    public async Task FindAsync_FirstFetchFails_UnavailableNamingTheAnswer()
    {
        _certs.FailWith = 500;

        var error = await Assert.ThrowsAsync<SigningKeysUnavailableException>(() => _keys.FindAsync(FakeGoogleCerts.KeyId, CancellationToken.None).Within());

        Assert.Contains("HTTP 500", error.Message, StringComparison.Ordinal);
        Assert.Contains(_certs.CertificatesUrl.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200, "not json")]
    [InlineData(200, "{\"keys\": 5}")]
    [InlineData(200, "{\"keys\": [{\"kty\": \"RSA\", \"kid\": \"k\", \"n\": \"@@@\", \"e\": \"AQAB\"}]}")]
    [InlineData(200, "{\"keys\": [{\"kty\": \"EC\", \"kid\": \"k\"}]}")]
    [InlineData(200, "{\"keys\": [{\"kty\": \"RSA\", \"kid\": \"\\ud800\", \"n\": \"AQAB\", \"e\": \"AQAB\"}]}")]
    [InlineData(503, "")]
    public async Task FindAsync_AnswerNotAKeySet_UnavailableNotAnException(int status, string body)
    {
        (_certs.FailWith, _certs.FailureBody) = (status, body);

        await Assert.ThrowsAsync<SigningKeysUnavailableException>(() => _keys.FindAsync(FakeGoogleCerts.KeyId, CancellationToken.None).Within());
    }

    [Fact]
    public async Task FindAsync_RefetchFailsWithKeysHeld_HeldKeysStayInUseUnknownKeyUnavailable()
    {
        Assert.NotNull(await _keys.FindAsync(FakeGoogleCerts.KeyId, CancellationToken.None).Within());
        _certs.FailWith = 500;
        _clock.Advance(TimeSpan.FromHours(2));

        // Expired and not refetched: the held key still verifies Google's tokens.
        Assert.NotNull(await _keys.FindAsync(FakeGoogleCerts.KeyId, CancellationToken.None).Within());
        // A key id it could not check because of the failure is not called unknown.
        await Assert.ThrowsAsync<SigningKeysUnavailableException>(() => _keys.FindAsync("rotated-in", CancellationToken.None).Within());
        Assert.Equal(2, _certs.Requests.Count);

        _certs.FailWith = null;
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await _keys.FindAsync("rotated-in", CancellationToken.None).Within());
        Assert.Equal(3, _certs.Requests.Count);
    }

    [Fact]
    public async Task FindAsync_UnknownKeysAfterAFailure_RefetchAtMostOnceAMinute()
    {
        _certs.FailWith = 500;
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<SigningKeysUnavailableException>(() => _keys.FindAsync($"random-{i}", CancellationToken.None).Within());
        }

        Assert.Single(_certs.Requests);
    }

    public async Task DisposeAsync()
    {
        _keys.Dispose();
        _http.Dispose();
        await _certs.DisposeAsync();
    }
}
