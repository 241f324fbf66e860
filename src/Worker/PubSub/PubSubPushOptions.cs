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

    /// <summary>Google's signing keys (JWK set) for OIDC tokens.</summary>
    public string CertificatesUrl { get; init; } = "https://www.googleapis.com/oauth2/v3/certs";

    /// <summary>Largest push body accepted; the Phase 5 message itself is limited to 64 KiB.</summary>
    public int MaxBodyBytes { get; init; } = 256 * 1024;

    /// <summary>Tolerated clock difference when checking a token's expiry and issue time.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(2);

    public static readonly IReadOnlyList<string> GoogleIssuers = ["https://accounts.google.com", "accounts.google.com"];

    /// <summary>Refuses a configuration that would accept nobody, or anybody by accident.</summary>
    public PubSubPushOptions Validated()
    {
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
}
