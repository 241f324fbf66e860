using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ExportFlows.Worker.PubSub;

/// <summary>The outcome of checking a push request's token: who sent it, or the status to answer and why.</summary>
public sealed record TokenCheck(bool Accepted, int Status, string Reason, string? Email = null)
{
    public static TokenCheck Ok(string email) => new(true, 200, "ok", email);

    public static TokenCheck Unauthorized(string reason) => new(false, 401, reason);

    public static TokenCheck Forbidden(string reason) => new(false, 403, reason);

    /// <summary>The token could not be checked now (Google's signing keys unavailable): 503, Pub/Sub redelivers.</summary>
    public static TokenCheck Unavailable(string reason) => new(false, 503, reason);
}

/// <summary>
/// Verifies the OIDC token Pub/Sub push puts in <c>Authorization: Bearer</c>: RS256 signature by a Google key, issuer,
/// audience, expiry and issue time (with clock skew), and a verified email among the allowed service accounts. Every
/// part is validated before use: a token that is not one is a 401 naming the problem, never an exception.
/// </summary>
public sealed class GoogleOidcTokenVerifier(ISigningKeySource keys, PubSubPushOptions options, TimeProvider clock)
{
    private static readonly long LatestUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public async Task<TokenCheck> VerifyAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return TokenCheck.Unauthorized("no bearer token");
        }
        var parts = authorization["Bearer ".Length..].Trim().Split('.');
        if (parts.Length != 3)
        {
            return TokenCheck.Unauthorized("malformed token");
        }
        JsonDocument? headerDocument = null, claimsDocument = null;
        try
        {
            byte[] signature;
            try
            {
                headerDocument = JsonDocument.Parse(Base64Url.Decode(parts[0]));
                claimsDocument = JsonDocument.Parse(Base64Url.Decode(parts[1]));
                signature = Base64Url.Decode(parts[2]);
            }
            catch (Exception ex) when (ex is FormatException or JsonException)
            {
                return TokenCheck.Unauthorized("malformed token");
            }
            var (header, claims) = (headerDocument.RootElement, claimsDocument.RootElement);
            if (header.ValueKind != JsonValueKind.Object || claims.ValueKind != JsonValueKind.Object)
            {
                return TokenCheck.Unauthorized("malformed token: header and claims must be JSON objects");
            }
            if ((JsonText.FindUnreadable(header, "header") ?? JsonText.FindUnreadable(claims, "claims")) is { } path)
            {
                return TokenCheck.Unauthorized($"malformed token: {path} is not valid Unicode text");
            }
            return await CheckAsync(parts, header, claims, signature, cancellationToken);
        }
        finally
        {
            headerDocument?.Dispose();
            claimsDocument?.Dispose();
        }
    }

    private async Task<TokenCheck> CheckAsync(string[] parts, JsonElement header, JsonElement claims, byte[] signature, CancellationToken cancellationToken)
    {
        if (Text(header, "alg") != "RS256" || Text(header, "kid") is not { Length: > 0 } keyId)
        {
            return TokenCheck.Unauthorized("token is not RS256 with a key id");
        }
        RSA? key;
        try
        {
            key = await keys.FindAsync(keyId, cancellationToken);
        }
        catch (SigningKeysUnavailableException ex)
        {
            return TokenCheck.Unavailable(ex.Message);
        }
        if (key is null || !key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return TokenCheck.Unauthorized("bad signature");
        }
        if (Text(claims, "iss") is not { } issuer || !PubSubPushOptions.GoogleIssuers.Contains(issuer, StringComparer.Ordinal))
        {
            return TokenCheck.Unauthorized("token not issued by Google");
        }
        if (!Audiences(claims).Contains(options.Audience, StringComparer.Ordinal))
        {
            return TokenCheck.Unauthorized("wrong audience");
        }
        var now = clock.GetUtcNow();
        if (!TrySeconds(claims, "exp", out var expires) || !TrySeconds(claims, "iat", out var issued))
        {
            return TokenCheck.Unauthorized("token exp or iat is not a time in seconds since 1970 (0 to 253402300799)");
        }
        if (expires is null)
        {
            return TokenCheck.Unauthorized("token has no expiry (exp)");
        }
        // Compared on the side of now: a time near DateTimeOffset.MaxValue plus the skew would overflow.
        if (expires < now - options.ClockSkew)
        {
            return TokenCheck.Unauthorized("token expired");
        }
        if (issued > now + options.ClockSkew)
        {
            return TokenCheck.Unauthorized("token issued in the future");
        }
        var email = Text(claims, "email");
        var verified = claims.TryGetProperty("email_verified", out var v) && (v.ValueKind == JsonValueKind.True || (v.ValueKind == JsonValueKind.String && v.GetString() == "true"));
        if (email is null || !verified || !options.AllowedServiceAccounts.Contains(email, StringComparer.OrdinalIgnoreCase))
        {
            return TokenCheck.Forbidden($"service account {Shown(email)} is not allowed to push");
        }
        return TokenCheck.Ok(email);
    }

    private static string Shown(string? email) => email is null ? "(none)" : email.Length > 100 ? email[..100] + "…" : email;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<string?> Audiences(JsonElement claims) =>
        !claims.TryGetProperty("aud", out var aud) ? []
        : aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString() : null).ToList()
        : aud.ValueKind == JsonValueKind.String ? [aud.GetString()] : [];

    /// <summary>False when the claim is present but not whole seconds a date can hold; null when absent.</summary>
    private static bool TrySeconds(JsonElement claims, string name, out DateTimeOffset? time)
    {
        time = null;
        if (!claims.TryGetProperty(name, out var value))
        {
            return true;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds) || seconds < 0 || seconds > LatestUnixSeconds)
        {
            return false;
        }
        time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
