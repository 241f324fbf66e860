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

    /// <summary>Answer this status (with <see cref="FailureBody"/>) instead of the keys: Google's endpoint failing.</summary>
    public int? FailWith { get; set; }

    public string FailureBody { get; set; } = "{\"error\": \"backend error\"}";

    /// <summary>This server's key, as a source that needs no HTTP: for checking tokens in-process.</summary>
    public ISigningKeySource InProcessKeys => new StaticKeys(_key);

    protected override Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        if (FailWith is { } status)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(FailureBody);
        }
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

    /// <summary>
    /// A token from JSON text given as is (so it can hold what a serializer would never write, e.g. a lone surrogate
    /// escape), signed with this server's key unless <paramref name="signWith"/> says otherwise.
    /// </summary>
    public string Sign(string headerJson, string claimsJson, RSA? signWith = null)
    {
        var header = Base64Url.Encode(Encoding.UTF8.GetBytes(headerJson));
        var claims = Base64Url.Encode(Encoding.UTF8.GetBytes(claimsJson));
        var signature = (signWith ?? _key).SignData(Encoding.ASCII.GetBytes(header + "." + claims), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{claims}.{Base64Url.Encode(signature)}";
    }

    /// <summary>The claims of a good token as JSON text, with <paramref name="replace"/> substituted (name → raw JSON value, null removes it).</summary>
    public static string ClaimsJson(DateTimeOffset now, IReadOnlyDictionary<string, string?>? replace = null)
    {
        var claims = new Dictionary<string, string?>
        {
            ["iss"] = "\"https://accounts.google.com\"",
            ["aud"] = JsonSerializer.Serialize(Audience),
            ["email"] = JsonSerializer.Serialize(ServiceAccount),
            ["email_verified"] = "true",
            ["iat"] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["exp"] = (now + TimeSpan.FromHours(1)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in replace ?? new Dictionary<string, string?>())
        {
            claims[name] = value;
        }
        return "{" + string.Join(", ", claims.Where(c => c.Value is not null).Select(c => $"\"{c.Key}\": {c.Value}")) + "}";
    }

    public const string HeaderJson = "{\"alg\": \"RS256\", \"kid\": \"" + KeyId + "\", \"typ\": \"JWT\"}";

    private sealed class StaticKeys(RSA key) : ISigningKeySource
    {
        public Task<RSA?> FindAsync(string keyId, CancellationToken cancellationToken) => Task.FromResult(keyId == KeyId ? key : null);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _key.Dispose();
    }
}
