using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExportFlows.Worker.PubSub;
using Microsoft.AspNetCore.Http;

namespace ExportFlows.Tests.Support;

/// <summary>
/// Google's certificate endpoint as Pub/Sub push verifiers see it (a JWK set), serving a local RSA key, and the tokens a
/// push subscription would send, signed with that key.
/// </summary>
public sealed class FakeGoogleCerts : LoopbackServer
{
    public const string KeyId = "test-key-1";
    public const string Audience = "https://exportflows.example.com/pubsub/predictions-complete";
    public const string ServiceAccount = "phase5-push@nba-props-platform.iam.gserviceaccount.com";

    private readonly RSA _key = RSA.Create(2048);

    public Uri CertificatesUrl => new(BaseUri, "oauth2/v3/certs");

    /// <summary>Push options that accept this server's tokens for <see cref="ServiceAccount"/> and <see cref="Audience"/>.</summary>
    public PubSubPushOptions PushOptions() => new()
    {
        Audience = Audience,
        AllowedServiceAccounts = [ServiceAccount],
        CertificatesUrl = CertificatesUrl.ToString(),
    };

    protected override Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        var parameters = _key.ExportParameters(false);
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return JsonAsync(context, 200, new
        {
            keys = new[] { new { kty = "RSA", alg = "RS256", use = "sig", kid = KeyId, n = Base64Url.Encode(parameters.Modulus!), e = Base64Url.Encode(parameters.Exponent!) } },
        });
    }

    public string Token(DateTimeOffset now, string? audience = Audience, string? email = ServiceAccount, TimeSpan? lifetime = null,
        string issuer = "https://accounts.google.com", RSA? signWith = null, string keyId = KeyId)
    {
        var header = Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", kid = keyId, typ = "JWT" }));
        var claims = Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["azp"] = "1234567890",
            ["email"] = email,
            ["email_verified"] = true,
            ["sub"] = "1234567890",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (lifetime ?? TimeSpan.FromHours(1))).ToUnixTimeSeconds(),
        }));
        var signature = (signWith ?? _key).SignData(Encoding.ASCII.GetBytes(header + "." + claims), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{claims}.{Base64Url.Encode(signature)}";
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _key.Dispose();
    }
}
