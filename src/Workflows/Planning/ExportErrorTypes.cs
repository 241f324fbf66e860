namespace ExportFlows.Workflows.Planning;

/// <summary>Failure types raised by the export activities; the non-retryable ones are listed in every activity's options.</summary>
public static class ExportErrorTypes
{
    public const string InvalidRequest = InvalidExportRequestException.ErrorType;
    public const string ContractViolation = "ContractViolation";
    public const string MissingTable = "MissingTable";
    public const string Credentials = "Credentials";
    public const string InvalidObjectName = "InvalidObjectName";
    public const string ApiRejected = "GoogleApiRejected";
    public const string ApiUnavailable = "GoogleApiUnavailable";
    public const string Warehouse = "WarehouseError";
    public const string EmptyInput = "EmptyInput";
    public const string InvalidWarehouseData = "InvalidWarehouseData";
    public const string ExportsFailed = "ExportsFailed";

    /// <summary>The tonight workflow received a predictions-complete message it could not accept (see README, "The signal contract").</summary>
    public const string MalformedMessage = "MalformedMessage";

    public static IReadOnlyList<string> NonRetryable { get; } =
        [InvalidRequest, ContractViolation, MissingTable, Credentials, InvalidObjectName, ApiRejected, EmptyInput, InvalidWarehouseData];
}
