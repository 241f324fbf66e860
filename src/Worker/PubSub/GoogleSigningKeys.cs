using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ExportFlows.Worker.PubSub;

/// <summary>
/// The signing keys of push tokens, held by Microsoft.IdentityModel's <see cref="ConfigurationManager{T}"/> (what
/// ASP.NET Core's JwtBearer uses) from the authority's OIDC discovery document and JWK set: refreshed hourly, and at
/// once for a token whose key id is not held, at most once a minute. A failed refresh keeps the keys held (Google
/// publishes a key well before signing with it). This class adds only what the library does not say: why the last
/// fetch failed (so a token whose key could not be checked is a 503, not a 401), and no new attempt within a minute
/// of a failure, whatever asks for it.
/// </summary>
public sealed class GoogleSigningKeys : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public static readonly TimeSpan RefetchInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ScheduledRefresh = TimeSpan.FromHours(1);
    private readonly Uri? _certificatesUrl;
    private readonly TimeProvider _clock;
    private readonly ILogger<GoogleSigningKeys> _logger;
    private DateTimeOffset? _failedAt;

    static GoogleSigningKeys()
    {
        // The library's documented switch: a refresh (an unknown key id, the hourly one) is awaited by the token that
        // asked for it, so a push signed with a newly published key is accepted at once rather than answered 401 while
        // the keys are fetched in the background. The library reads it once per process; nothing else here sets it.
        AppContext.SetSwitch("Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking", true);
    }

    public GoogleSigningKeys(PubSubPushOptions options, HttpClient http, TimeProvider clock, ILogger<GoogleSigningKeys> logger)
    {
        (_clock, _logger) = (clock, logger);
        _certificatesUrl = options.CertificatesUrl is { Length: > 0 } url ? new Uri(url) : null;
        MetadataAddress = options.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
        // Plain HTTP only for keys on this machine: the in-test authority.
        var documents = new HttpDocumentRetriever(http) { RequireHttps = !new Uri(Source).IsLoopback };
        Configuration = new ConfigurationManager<OpenIdConnectConfiguration>(MetadataAddress, this, documents)
        {
            AutomaticRefreshInterval = ScheduledRefresh,
            RefreshInterval = RefetchInterval,
            // A key Google no longer publishes is refused at once, not kept for an hour as "last known good".
            UseLastKnownGoodConfiguration = false,
        };
    }

    public string MetadataAddress { get; }

    public ConfigurationManager<OpenIdConnectConfiguration> Configuration { get; }

    /// <summary>Why the last fetch failed, or null when it succeeded.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>Where the keys come from, for messages.</summary>
    public string Source => _certificatesUrl?.ToString() ?? MetadataAddress;

    async Task<OpenIdConnectConfiguration> IConfigurationRetriever<OpenIdConnectConfiguration>.GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        if (_failedAt is { } failedAt && _clock.GetUtcNow() - failedAt < RefetchInterval)
        {
            throw new IOException($"not tried again within {RefetchInterval.TotalSeconds:0} s of the failure: {LastFailure}");
        }
        try
        {
            var configuration = _certificatesUrl is null
                ? await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, cancel)
                : KeysOnly(await retriever.GetDocumentAsync(_certificatesUrl.ToString(), cancel));
            if (configuration.SigningKeys.Count == 0)
            {
                throw new InvalidDataException("the JWK set holds no signing key it can use");
            }
            (_failedAt, LastFailure) = (null, null);
            _logger.LogInformation("Fetched {Count} signing keys from {Source}", configuration.SigningKeys.Count, Source);
            return configuration;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            (_failedAt, LastFailure) = (_clock.GetUtcNow(), Describe(ex));
            _logger.LogWarning("Could not fetch the signing keys from {Source} ({Problem}); keys held stay in use, next try in {Seconds} s",
                Source, LastFailure, RefetchInterval.TotalSeconds);
            throw;
        }
    }

    private static OpenIdConnectConfiguration KeysOnly(string jwks)
    {
        var configuration = new OpenIdConnectConfiguration { JsonWebKeySet = new JsonWebKeySet(jwks) };
        foreach (var key in configuration.JsonWebKeySet.GetSigningKeys())
        {
            configuration.SigningKeys.Add(key);
        }
        return configuration;
    }

    /// <summary>The library's messages hide what it fetched (PII); the status and the innermost cause say enough.</summary>
    private static string Describe(Exception ex) =>
        ex.Data[HttpDocumentRetriever.StatusCode] is System.Net.HttpStatusCode status ? $"HTTP {(int)status}"
        : ex.InnerException is { } inner ? Describe(inner)
        : ex is TaskCanceledException ? $"no answer within {FetchTimeout.TotalSeconds:0} s"
        : ex.Message;
}
