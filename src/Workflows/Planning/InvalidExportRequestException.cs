namespace ExportFlows.Workflows.Planning;

/// <summary>A request that can never succeed as given: bad date, unknown or unimplemented type, malformed message.</summary>
public sealed class InvalidExportRequestException(string message) : Exception(message)
{
    /// <summary>The Temporal failure type; listed as non-retryable in every activity's options.</summary>
    public const string ErrorType = "InvalidExportRequest";
}
