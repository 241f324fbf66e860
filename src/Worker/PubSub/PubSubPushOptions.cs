namespace ExportFlows.Worker.PubSub;

/// <summary>The <c>PubSub</c> configuration section: the authenticated push endpoint (env: <c>PubSub__Audience</c>, …).</summary>
public sealed record PubSubPushOptions
{
    public const string Section = "PubSub";

    /// <summary>The audience the push subscription puts in its OIDC tokens (by default Google uses the endpoint URL).</summary>
    public string? Audience { get; init; }

    /// <summary>Service accounts whose tokens are accepted (the subscription's <c>--push-auth-service-account</c>).</summary>
    public IReadOnlyList<string> AllowedServiceAccounts { get; init; } = [];

    /// <summary>Accept pushes without a token: for a laptop only; logged loudly at start and on every push.</summary>
    public bool InsecureNoAuth { get; init; }

    /// <summary>
    /// The OpenID provider that signs the push tokens: its discovery document (<c>/.well-known/openid-configuration</c>)
    /// names the JWK set of its signing keys.
    /// </summary>
    public string Authority { get; init; } = "https://accounts.google.com";

    /// <summary>A JWK set URL to read the signing keys from instead of the one the discovery document names.</summary>
    public string? CertificatesUrl { get; init; }

    /// <summary>Largest push body accepted; the Phase 5 message itself is limited to 64 KiB.</summary>
    public int MaxBodyBytes { get; init; } = 256 * 1024;

    /// <summary>Tolerated clock difference when checking a token's expiry and issue time.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(2);

    public static readonly IReadOnlyList<string> GoogleIssuers = ["https://accounts.google.com", "accounts.google.com"];

    /// <summary>Refuses a configuration that would accept nobody, or anybody by accident.</summary>
    public PubSubPushOptions Validated()
    {
        if (!IsHttpsOrLoopback(Authority) || (CertificatesUrl is { Length: > 0 } keys && !IsHttpsOrLoopback(keys)))
        {
            throw new Workflows.Planning.InvalidExportRequestException(
                $"PubSub__Authority ({Authority}) and PubSub__CertificatesUrl ({CertificatesUrl ?? "not set"}) must be absolute https URLs " +
                "(plain http only on this machine, for tests); leave them unset for Google's");
        }
        if (InsecureNoAuth)
        {
            return this;
        }
        if (string.IsNullOrWhiteSpace(Audience) || AllowedServiceAccounts.Count == 0)
        {
            throw new Workflows.Planning.InvalidExportRequestException(
                "the push endpoint needs PubSub__Audience and PubSub__AllowedServiceAccounts__0 (or --push-audience and --push-service-accounts); " +
                "for local use only, --insecure-no-auth accepts unauthenticated pushes");
        }
        return this;
    }

    private static bool IsHttpsOrLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
