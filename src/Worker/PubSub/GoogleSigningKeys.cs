using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Worker.PubSub;

/// <summary>Where the RSA keys that sign OIDC tokens come from, by key id.</summary>
public interface ISigningKeySource
{
    /// <summary>The key, or null when the key id is not one of the signer's keys.</summary>
    /// <exception cref="SigningKeysUnavailableException">The keys could not be fetched, so the key id cannot be checked.</exception>
    Task<RSA?> FindAsync(string keyId, CancellationToken cancellationToken);
}

/// <summary>The signing keys could not be fetched: a token cannot be checked now (answered 503, Pub/Sub redelivers).</summary>
public sealed class SigningKeysUnavailableException(string message) : Exception(message);

/// <summary>
/// Google's JWK set (<c>https://www.googleapis.com/oauth2/v3/certs</c> in production; any URL serving the same JSON in
/// tests). Keys are cached for the response's max-age (default 1 h); an unknown key id refetches, at most once a minute.
/// When a refetch fails the keys already held stay in use (Google publishes a new key well before it signs with it);
/// only a key id that could not be checked because of the failure is unavailable.
/// </summary>
public sealed class JwksSigningKeySource(HttpClient http, Uri url, TimeProvider clock, ILogger<JwksSigningKeySource> logger) : ISigningKeySource, IDisposable
{
    private static readonly TimeSpan MinimumRefresh = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, RSA> _keys = new(StringComparer.Ordinal);
    private DateTimeOffset _expires = DateTimeOffset.MinValue;
    private DateTimeOffset _attempted = DateTimeOffset.MinValue;
    private string? _lastFailure;

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
            var due = now - _attempted >= MinimumRefresh;
            if (due && (now >= _expires || !_keys.ContainsKey(keyId)))
            {
                await RefreshAsync(now, cancellationToken);
            }
            if (_keys.GetValueOrDefault(keyId) is { } key)
            {
                return key;
            }
            return _lastFailure is null ? null
                : throw new SigningKeysUnavailableException($"cannot check the token's key: Google's signing keys could not be fetched from {url} ({_lastFailure})");
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RefreshAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        _attempted = now;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(FetchTimeout);
            using var response = await http.GetAsync(url, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"HTTP {(int)response.StatusCode}");
            }
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token), cancellationToken: timeout.Token);
            var keys = ReadKeys(document.RootElement);
            // The old keys are not disposed here: a request may be verifying with one it read without the gate.
            _keys = keys;
            _lastFailure = null;
            _expires = now + (MaxAge(response.Headers.CacheControl) ?? TimeSpan.FromHours(1));
            logger.LogInformation("Fetched {Count} signing keys from {Url}", keys.Count, url);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or FormatException or CryptographicException or InvalidDataException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _lastFailure = ex is OperationCanceledException ? $"no answer within {FetchTimeout.TotalSeconds:0} s" : ex.Message;
            logger.LogWarning("Could not fetch the signing keys from {Url} ({Problem}); {Held} key(s) held stay in use, next try in {Seconds} s",
                url, _lastFailure, _keys.Count, MinimumRefresh.TotalSeconds);
        }
    }

    /// <summary>The RSA keys of a JWK set; anything else in it is skipped. A set without one RSA key is refused.</summary>
    private static Dictionary<string, RSA> ReadKeys(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("keys", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("not a JWK set (no \"keys\" array)");
        }
        if (JsonText.FindUnreadable(root) is { } path)
        {
            throw new InvalidDataException($"{path} is not valid text");
        }
        var keys = new Dictionary<string, RSA>(StringComparer.Ordinal);
        foreach (var key in list.EnumerateArray())
        {
            if (Text(key, "kty") == "RSA" && Text(key, "kid") is { } kid && Text(key, "n") is { } n && Text(key, "e") is { } e)
            {
                var rsa = RSA.Create();
                try
                {
                    rsa.ImportParameters(new RSAParameters { Modulus = Base64Url.Decode(n), Exponent = Base64Url.Decode(e) });
                }
                catch
                {
                    rsa.Dispose();
                    throw;
                }
                keys[kid] = rsa;
            }
        }
        return keys.Count > 0 ? keys : throw new InvalidDataException("the JWK set holds no RSA key");
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

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
