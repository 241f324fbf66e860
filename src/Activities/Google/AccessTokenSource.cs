using Google.Apis.Auth.OAuth2;

namespace ExportFlows.Activities.Google;

/// <summary>Supplies the bearer token for Google API requests (null = send no Authorization header).</summary>
public interface IAccessTokenSource
{
    Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken);
}

/// <summary>Application Default Credentials, or a credentials file, through Google.Apis.Auth.</summary>
public sealed class GoogleCredentialTokenSource : IAccessTokenSource
{
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";
    private readonly Lazy<Task<ITokenAccess>> _credential;

    /// <param name="credentialsFile">A service-account or authorized-user JSON file; null for Application Default Credentials.</param>
    public GoogleCredentialTokenSource(string? credentialsFile = null) =>
        _credential = new Lazy<Task<ITokenAccess>>(() => LoadAsync(credentialsFile));

    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var credential = await _credential.Value;
        try
        {
            return await credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new GoogleCredentialsException($"could not obtain a Google access token: {ex.Message}; check the credentials' account and scopes", ex);
        }
    }

    private static async Task<ITokenAccess> LoadAsync(string? file)
    {
        try
        {
            var credential = file is null
                ? await GoogleCredential.GetApplicationDefaultAsync()
                : CredentialFactory.FromFile<ServiceAccountCredential>(file).ToGoogleCredential();
            return credential.CreateScoped(CloudPlatformScope);
        }
        catch (Exception ex)
        {
            var where = file is null
                ? "Application Default Credentials (set GOOGLE_APPLICATION_CREDENTIALS or run 'gcloud auth application-default login')"
                : $"credentials file '{file}'";
            throw new GoogleCredentialsException($"unreadable Google credentials from {where}: {ex.Message}", ex);
        }
    }
}

/// <summary>No Authorization header: for emulators and the in-test servers.</summary>
public sealed class AnonymousTokenSource : IAccessTokenSource
{
    public Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}

/// <summary>A fixed token, e.g. from an environment variable in CI.</summary>
public sealed class StaticTokenSource(string token) : IAccessTokenSource
{
    public Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(token);
}
