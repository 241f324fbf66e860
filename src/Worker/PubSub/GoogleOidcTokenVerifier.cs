using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

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
/// Verifies the OIDC token Pub/Sub push puts in <c>Authorization: Bearer</c> with Microsoft.IdentityModel's
/// <see cref="JsonWebTokenHandler"/>: RS256 signature by a key of <see cref="GoogleSigningKeys"/> named by the token's
/// key id, issuer, audience and expiry (with clock skew). What the library does not decide is added here: 503 when the
/// keys cannot be fetched, an <c>exp</c> or <c>iat</c> no date can hold (the library reads those as "never expires"),
/// an <c>iat</c> in the future (the library ignores <c>iat</c>), and a verified email among the allowed service
/// accounts (403). A token that is not one is a 401 naming the problem, never an exception.
/// </summary>
public sealed class GoogleOidcTokenVerifier(GoogleSigningKeys keys, PubSubPushOptions options)
{
    private static readonly long LatestUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters = new()
    {
        ConfigurationManager = keys.Configuration,
        ValidIssuers = PubSubPushOptions.GoogleIssuers,
        ValidAudience = options.Audience,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        ClockSkew = options.ClockSkew,
        // Google's tokens name their key: a key id not held means "refetch", never "try every key".
        TryAllIssuerSigningKeys = false,
    };

    public async Task<TokenCheck> VerifyAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return TokenCheck.Unauthorized("no bearer token");
        }
        cancellationToken.ThrowIfCancellationRequested();
        // The handler writes to the parameters it is given (refresh state): one copy per token, as JwtBearer does.
        var result = await _handler.ValidateTokenAsync(authorization["Bearer ".Length..].Trim(), _parameters.Clone());
        if (!result.IsValid)
        {
            // The handler goes on without keys it could not fetch and calls the key unknown: the endpoint's problem, not the token's.
            return result.Exception is SecurityTokenSignatureKeyNotFoundException && keys.LastFailure is { } failure
                ? TokenCheck.Unavailable($"cannot check the token's key: Google's signing keys could not be fetched from {keys.Source} ({failure})")
                : TokenCheck.Unauthorized(Reason(result.Exception));
        }
        var token = (JsonWebToken)result.SecurityToken;
        if (!IsDateSeconds(token, "exp") || !IsDateSeconds(token, "iat"))
        {
            return TokenCheck.Unauthorized("token exp or iat is not a time in seconds since 1970 (0 to 253402300799)");
        }
        // The same clock the handler checked exp against.
        if (token.TryGetPayloadValue<long>("iat", out var issued) && DateTimeOffset.FromUnixTimeSeconds(issued) > TimeProvider.System.GetUtcNow() + options.ClockSkew)
        {
            return TokenCheck.Unauthorized("token issued in the future");
        }
        var email = token.TryGetPayloadValue<string>("email", out var value) ? value : null;
        var verified = token.TryGetPayloadValue<object>("email_verified", out var flag) && flag is true or "true";
        if (email is null || !verified || !options.AllowedServiceAccounts.Contains(email, StringComparer.OrdinalIgnoreCase))
        {
            return TokenCheck.Forbidden($"service account {Shown(email)} is not allowed to push");
        }
        return TokenCheck.Ok(email);
    }

    /// <summary>What was wrong, and the library's code (IDX…) for the details it logs.</summary>
    private static string Reason(Exception? exception)
    {
        var what = exception switch
        {
            SecurityTokenSignatureKeyNotFoundException => "token's key id is not one of Google's signing keys",
            SecurityTokenInvalidSignatureException => "bad signature (or not RS256)",
            SecurityTokenInvalidIssuerException => "token not issued by Google",
            SecurityTokenInvalidAudienceException => "wrong audience",
            SecurityTokenNoExpirationException => "token has no expiry (exp)",
            SecurityTokenExpiredException => "token expired",
            SecurityTokenNotYetValidException => "token not valid yet (nbf)",
            _ => "malformed token",
        };
        var message = exception?.Message ?? "";
        return message.StartsWith("IDX", StringComparison.Ordinal) && message.IndexOf(':', StringComparison.Ordinal) is > 3 and < 12 and var colon
            ? $"{what} ({message[..colon]})" : what;
    }

    /// <summary>False when the claim is present but outside what a date holds; the library reads it as a number.</summary>
    private static bool IsDateSeconds(JsonWebToken token, string claim) =>
        !token.TryGetPayloadValue<long>(claim, out var seconds) || seconds is >= 0 && seconds <= LatestUnixSeconds;

    private static string Shown(string? email) => email is null ? "(none)" : email.Length > 100 ? email[..100] + "…" : email;
}
