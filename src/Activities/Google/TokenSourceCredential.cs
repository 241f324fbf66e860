using System.Net.Http.Headers;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Http;

namespace ExportFlows.Activities.Google;

/// <summary>
/// Our <see cref="IAccessTokenSource"/> (ADC, a key file, or a fixed token) as the credential of Google's client
/// libraries, so every Google API call authenticates the same way and fails with the same clear error.
/// </summary>
public sealed class TokenSourceCredential(IAccessTokenSource tokens) : ICredential, IHttpExecuteInterceptor
{
    public void Initialize(ConfigurableHttpClient httpClient) => httpClient.MessageHandler.AddExecuteInterceptor(this);

    public async Task InterceptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (await tokens.GetAccessTokenAsync(cancellationToken) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public async Task<string> GetAccessTokenForRequestAsync(string? authUri = null, CancellationToken cancellationToken = default) =>
        await tokens.GetAccessTokenAsync(cancellationToken) ?? "";
}
