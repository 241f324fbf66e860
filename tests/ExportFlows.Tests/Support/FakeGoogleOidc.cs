using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExportFlows.Worker.PubSub;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;

namespace ExportFlows.Tests.Support;

/// <summary>
/// Google's OpenID provider as a push verifier sees it: the discovery document (<c>/.well-known/openid-configuration</c>)
/// and the JWK set it names (<c>/oauth2/v3/certs</c>), publishing local RSA keys that can be rotated, and the tokens a
/// push subscription would send, signed with the newest key.
/// </summary>
public sealed class FakeGoogleOidc : LoopbackServer
{
    public const string KeyId = "test-key-1";
    public const string Audience = "https://exportflows.example.com/pubsub/predictions-complete";
    public const string ServiceAccount = "phase5-push@nba-props-platform.iam.gserviceaccount.com";
    public const string DiscoveryPath = "/.well-known/openid-configuration";
    public const string CertificatesPath = "/oauth2/v3/certs";

    /// <summary>The published keys, oldest first; the last one signs.</summary>
    private readonly List<(string Id, RSA Key)> _keys = [(KeyId, RSA.Create(2048))];
    private readonly List<RSA> _retired = [];
    private readonly HttpClient _http = new() { Timeout = GoogleSigningKeys.FetchTimeout };

    public Uri CertificatesUrl => new(BaseUri, CertificatesPath.TrimStart('/'));

    /// <summary>Push options that accept this provider's tokens for <see cref="ServiceAccount"/> and <see cref="Audience"/>.</summary>
    public PubSubPushOptions PushOptions() => new()
    {
        Audience = Audience,
        AllowedServiceAccounts = [ServiceAccount],
        Authority = BaseUri.ToString(),
    };

    /// <summary>The signing keys of <paramref name="options"/> (this provider's by default), fetched over HTTP.</summary>
    public GoogleSigningKeys SigningKeys(TimeProvider? clock = null, PubSubPushOptions? options = null) =>
        new(options ?? PushOptions(), _http, clock ?? TimeProvider.System, NullLogger<GoogleSigningKeys>.Instance);

    public GoogleOidcTokenVerifier Verifier(TimeProvider? clock = null) => new(SigningKeys(clock), PushOptions());

    /// <summary>Answer this status (with <see cref="FailureBody"/>) on every path: Google's endpoints failing.</summary>
    public int? FailWith { get; set; }

    public string FailureBody { get; set; } = "{\"error\": \"backend error\"}";

    /// <summary>Serve this text as the JWK set instead of the keys.</summary>
    public string? KeySetBody { get; set; }

    public int Fetches(string path)
    {
        lock (Requests)
        {
            return Requests.Count(r => r.Path == path);
        }
    }

    /// <summary>Publishes a new key that signs from now on; the earlier ones stay published unless <paramref name="retireOthers"/>.</summary>
    public void Rotate(string keyId, bool retireOthers = true)
    {
        lock (_keys)
        {
            if (retireOthers)
            {
                _retired.AddRange(_keys.Select(k => k.Key));
                _keys.Clear();
            }
            _keys.Add((keyId, RSA.Create(2048)));
        }
    }

    private (string Id, RSA Key) Current
    {
        get
        {
            lock (_keys)
            {
                return _keys[^1];
            }
        }
    }

    protected override Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        if (FailWith is { } status)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(FailureBody);
        }
        return request.Path switch
        {
            DiscoveryPath => JsonAsync(context, 200, new
            {
                issuer = "https://accounts.google.com",
                authorization_endpoint = "https://accounts.google.com/o/oauth2/v2/auth",
                jwks_uri = CertificatesUrl.ToString(),
                id_token_signing_alg_values_supported = new[] { "RS256" },
            }),
            CertificatesPath when KeySetBody is { } body => context.Response.WriteAsync(body),
            CertificatesPath => JsonAsync(context, 200, new { keys = PublishedKeys() }),
            _ => ErrorAsync(context, 404, "notFound", $"no {request.Path} here"),
        };
    }

    private object[] PublishedKeys()
    {
        lock (_keys)
        {
            return [.. _keys.Select(k => k.Key.ExportParameters(false)).Zip(_keys, (p, k) => new
            {
                kty = "RSA", alg = "RS256", use = "sig", kid = k.Id, n = Base64UrlEncoder.Encode(p.Modulus!), e = Base64UrlEncoder.Encode(p.Exponent!),
            })];
        }
    }

    /// <summary>A token as a push subscription sends it; by default signed with the newest key and naming it.</summary>
    public string Token(DateTimeOffset now, string? audience = Audience, string? email = ServiceAccount, TimeSpan? lifetime = null,
        string issuer = "https://accounts.google.com", RSA? signWith = null, string? keyId = null)
    {
        var header = JsonSerializer.Serialize(new { alg = "RS256", kid = keyId ?? Current.Id, typ = "JWT" });
        var claims = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["azp"] = "1234567890",
            ["email"] = email,
            ["email_verified"] = true,
            ["sub"] = "1234567890",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (lifetime ?? TimeSpan.FromHours(1))).ToUnixTimeSeconds(),
        });
        return Sign(header, claims, signWith);
    }

    /// <summary>
    /// A token from JSON text given as is (so it can hold what a serializer would never write, e.g. a lone surrogate
    /// escape), signed with the newest key unless <paramref name="signWith"/> says otherwise.
    /// </summary>
    public string Sign(string headerJson, string claimsJson, RSA? signWith = null)
    {
        var signed = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(claimsJson));
        var signature = (signWith ?? Current.Key).SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64UrlEncoder.Encode(signature);
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

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _http.Dispose();
        lock (_keys)
        {
            foreach (var key in _keys.Select(k => k.Key).Concat(_retired))
            {
                key.Dispose();
            }
        }
    }
}
