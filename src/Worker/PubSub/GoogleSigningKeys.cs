using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Worker.PubSub;

/// <summary>Where the RSA keys that sign OIDC tokens come from, by key id.</summary>
public interface ISigningKeySource
{
    Task<RSA?> FindAsync(string keyId, CancellationToken cancellationToken);
}

/// <summary>
/// Google's JWK set (<c>https://www.googleapis.com/oauth2/v3/certs</c> in production; any URL serving the same JSON in
/// tests). Keys are cached for the response's max-age (default 1 h); an unknown key id refetches, at most once a minute.
/// </summary>
public sealed class JwksSigningKeySource(HttpClient http, Uri url, TimeProvider clock, ILogger<JwksSigningKeySource> logger) : ISigningKeySource, IDisposable
{
    private static readonly TimeSpan MinimumRefresh = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, RSA> _keys = new(StringComparer.Ordinal);
    private DateTimeOffset _expires = DateTimeOffset.MinValue;
    private DateTimeOffset _fetched = DateTimeOffset.MinValue;

    public async Task<RSA?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < _expires && _keys.TryGetValue(keyId, out var cached))
        {
            return cached;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (now >= _expires || (!_keys.ContainsKey(keyId) && now - _fetched >= MinimumRefresh))
            {
                await RefreshAsync(now, cancellationToken);
            }
            return _keys.GetValueOrDefault(keyId);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RefreshAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var keys = new Dictionary<string, RSA>(StringComparer.Ordinal);
        foreach (var key in document.RootElement.GetProperty("keys").EnumerateArray())
        {
            if (key.TryGetProperty("kty", out var kty) && kty.GetString() == "RSA" && key.TryGetProperty("kid", out var kid))
            {
                var rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters
                {
                    Modulus = Base64Url.Decode(key.GetProperty("n").GetString()!),
                    Exponent = Base64Url.Decode(key.GetProperty("e").GetString()!),
                });
                keys[kid.GetString()!] = rsa;
            }
        }
        foreach (var old in _keys.Values)
        {
            old.Dispose();
        }
        _keys = keys;
        _fetched = now;
        _expires = now + (MaxAge(response.Headers.CacheControl) ?? TimeSpan.FromHours(1));
        logger.LogInformation("Fetched {Count} signing keys from {Url}", keys.Count, url);
    }

    private static TimeSpan? MaxAge(CacheControlHeaderValue? cacheControl) => cacheControl?.MaxAge;

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
        _gate.Dispose();
    }
}

public static class Base64Url
{
    public static byte[] Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
