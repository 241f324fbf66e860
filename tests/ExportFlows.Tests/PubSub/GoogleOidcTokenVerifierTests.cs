using System.Security.Cryptography;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.PubSub;

namespace ExportFlows.Tests.PubSub;

/// <summary>Tokens no Google signer produces, checked against the in-test provider's keys: a 401 naming the problem, never an exception.</summary>
public sealed class GoogleOidcTokenVerifierTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly FakeGoogleOidc _google = new();
    private GoogleOidcTokenVerifier _verifier = null!;

    public async Task InitializeAsync()
    {
        await _google.StartAsync();
        _verifier = _google.Verifier();
    }

    public Task DisposeAsync() => _google.DisposeAsync().AsTask();

    private Task<TokenCheck> VerifyAsync(string token) => _verifier.VerifyAsync("Bearer " + token, CancellationToken.None).Within();

    private Task<TokenCheck> VerifyClaimsAsync(string claim, string? value) =>
        VerifyAsync(_google.Sign(FakeGoogleOidc.HeaderJson, FakeGoogleOidc.ClaimsJson(Now, new Dictionary<string, string?> { [claim] = value })));

    private static void AssertUnauthorized(string reason, TokenCheck check)
    {
        Assert.Equal(401, check.Status);
        Assert.StartsWith(reason, check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_GoodToken_AcceptedWithTheServiceAccount()
    {
        var check = await VerifyAsync(_google.Sign(FakeGoogleOidc.HeaderJson, FakeGoogleOidc.ClaimsJson(Now)));

        Assert.Equal((true, 200, FakeGoogleOidc.ServiceAccount), (check.Accepted, check.Status, check.Email));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic abc")]
    [InlineData("Bearer")]
    public async Task VerifyAsync_NoBearerToken_401WithoutFetchingKeys(string? authorization)
    {
        var check = await _verifier.VerifyAsync(authorization, CancellationToken.None).Within();

        Assert.Equal((401, "no bearer token"), (check.Status, check.Reason));
        Assert.Empty(_google.Requests);
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udfff")]
    [InlineData("key\\udc00")]
    public async Task VerifyAsync_LoneSurrogateInKeyId_401MalformedToken(string kid)
    {
        var check = await VerifyAsync(_google.Sign($"{{\"alg\": \"RS256\", \"kid\": \"{kid}\", \"typ\": \"JWT\"}}", FakeGoogleOidc.ClaimsJson(Now)));

        AssertUnauthorized("malformed token", check);
    }

    private const string NotADate = "token exp or iat is not a time in seconds since 1970 (0 to 253402300799)";

    [Theory]
    [InlineData("iss", "\"\\ud800\"", "malformed token")]
    [InlineData("iss", "\"https://accounts.google.com\\udfff\"", "malformed token")]
    [InlineData("email", "\"\\ud800@x\"", "malformed token")]
    [InlineData("aud", "[\"\\udfff\"]", "malformed token")]
    [InlineData("exp", "1000000000000000000", NotADate)]
    [InlineData("exp", "253402300800", NotADate)]
    [InlineData("exp", "1e18", NotADate)]
    [InlineData("iat", "1000000000000000000", NotADate)]
    [InlineData("iat", "-62135596801", NotADate)]
    [InlineData("exp", "-1", "token expired")]
    [InlineData("exp", "\"1770127868\"", "token expired")]
    [InlineData("exp", "9223372036854775808", "malformed token")]
    [InlineData("exp", "\"soon\"", "malformed token")]
    [InlineData("exp", "null", "malformed token")]
    [InlineData("exp", null, "token has no expiry (exp)")]
    [InlineData("iss", null, "token not issued by Google")]
    [InlineData("aud", null, "wrong audience")]
    public async Task VerifyAsync_SignedClaimUnusable_401NamingIt(string claim, string? value, string reason)
    {
        var check = await VerifyClaimsAsync(claim, value);

        AssertUnauthorized(reason, check);
    }

    [Fact]
    public async Task VerifyAsync_ExpAtTheLastSecondADateHolds_AcceptedWithoutOverflow()
    {
        var check = await VerifyClaimsAsync("exp", "253402300799");

        Assert.True(check.Accepted, check.Reason);
    }

    [Fact]
    public async Task VerifyAsync_IssuedBeyondTheClockSkew_401IssuedInTheFuture()
    {
        var check = await VerifyClaimsAsync("iat", (Now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal((401, "token issued in the future"), (check.Status, check.Reason));
    }

    [Theory]
    [InlineData("{\"alg\": \"HS256\", \"kid\": \"test-key-1\"}", "bad signature (or not RS256)")]
    [InlineData("{\"alg\": \"none\", \"kid\": \"test-key-1\"}", "bad signature (or not RS256)")]
    [InlineData("{\"alg\": \"RS384\", \"kid\": \"test-key-1\"}", "bad signature (or not RS256)")]
    [InlineData("{\"alg\": \"RS256\"}", "token's key id is not one of Google's signing keys")]
    [InlineData("{\"alg\": \"RS256\", \"kid\": \"rotated-away\"}", "token's key id is not one of Google's signing keys")]
    public async Task VerifyAsync_NotRs256WithAKnownKeyId_401(string header, string reason)
    {
        var check = await VerifyAsync(_google.Sign(header, FakeGoogleOidc.ClaimsJson(Now)));

        AssertUnauthorized(reason, check);
    }

    [Fact]
    public async Task VerifyAsync_SignedByAnotherKey_401BadSignature()
    {
        using var other = RSA.Create(2048);

        var check = await VerifyAsync(_google.Sign(FakeGoogleOidc.HeaderJson, FakeGoogleOidc.ClaimsJson(Now), other));

        AssertUnauthorized("bad signature", check);
    }

    [Theory]
    [InlineData("[1, 2]", "{}")]
    [InlineData("{\"alg\": \"RS256\", \"kid\": \"test-key-1\"}", "\"claims\"")]
    [InlineData("null", "null")]
    public async Task VerifyAsync_HeaderOrClaimsNotObjects_401(string header, string claims)
    {
        var check = await VerifyAsync(_google.Sign(header, claims));

        AssertUnauthorized("malformed token", check);
    }

    [Theory]
    [InlineData("email_verified", "false")]
    [InlineData("email_verified", null)]
    [InlineData("email", null)]
    [InlineData("email", "\"intruder@x.iam.gserviceaccount.com\"")]
    public async Task VerifyAsync_SenderNotAVerifiedAllowedAccount_403NamingIt(string claim, string? value)
    {
        var check = await VerifyClaimsAsync(claim, value);

        Assert.Equal(403, check.Status);
        Assert.Contains(claim == "email" ? value?.Trim('"') ?? "(none)" : FakeGoogleOidc.ServiceAccount, check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_EmailVerifiedAsText_Accepted()
    {
        var check = await VerifyClaimsAsync("email_verified", "\"true\"");

        Assert.True(check.Accepted, check.Reason);
    }
}
