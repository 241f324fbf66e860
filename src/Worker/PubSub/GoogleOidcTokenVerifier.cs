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
}

/// <summary>
/// Verifies the OIDC token Pub/Sub push puts in <c>Authorization: Bearer</c>: RS256 signature by a Google key, issuer,
/// audience, expiry and issue time (with clock skew), and a verified email among the allowed service accounts.
/// </summary>
public sealed class GoogleOidcTokenVerifier(ISigningKeySource keys, PubSubPushOptions options, TimeProvider clock)
{
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
        JsonElement header, claims;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(Base64Url.Decode(parts[0])).RootElement;
            claims = JsonDocument.Parse(Base64Url.Decode(parts[1])).RootElement;
            signature = Base64Url.Decode(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return TokenCheck.Unauthorized("malformed token");
        }
        if (Text(header, "alg") != "RS256" || Text(header, "kid") is not { } keyId)
        {
            return TokenCheck.Unauthorized("token is not RS256 with a key id");
        }
        var key = await keys.FindAsync(keyId, cancellationToken);
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
        if (Seconds(claims, "exp") is not { } expires || expires + options.ClockSkew < now)
        {
            return TokenCheck.Unauthorized("token expired");
        }
        if (Seconds(claims, "iat") is { } issued && issued - options.ClockSkew > now)
        {
            return TokenCheck.Unauthorized("token issued in the future");
        }
        var email = Text(claims, "email");
        var verified = claims.TryGetProperty("email_verified", out var v) && (v.ValueKind == JsonValueKind.True || (v.ValueKind == JsonValueKind.String && v.GetString() == "true"));
        if (email is null || !verified || !options.AllowedServiceAccounts.Contains(email, StringComparer.OrdinalIgnoreCase))
        {
            return TokenCheck.Forbidden($"service account {email ?? "(none)"} is not allowed to push");
        }
        return TokenCheck.Ok(email);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<string?> Audiences(JsonElement claims) =>
        !claims.TryGetProperty("aud", out var aud) ? []
        : aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString() : null)
        : aud.ValueKind == JsonValueKind.String ? [aud.GetString()] : [];

    private static DateTimeOffset? Seconds(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
