namespace ExportFlows.Activities.Google;

/// <summary>An error answered by a Google API, with the API's own reason and message.</summary>
public sealed class GoogleApiException(string api, int statusCode, string? reason, string message, bool retryable)
    : Exception($"{api} error {statusCode}{(reason is null ? "" : $" ({reason})")}: {message}")
{
    public string Api { get; } = api;
    public int StatusCode { get; } = statusCode;
    public string? Reason { get; } = reason;
    public string ApiMessage { get; } = message;
    public bool Retryable { get; } = retryable;
}

/// <summary>Credentials could not be loaded or used: not retryable, the operator must fix configuration.</summary>
public sealed class GoogleCredentialsException(string message, Exception? inner = null) : Exception(message, inner)
{
    public const string ErrorType = "Credentials";
}
