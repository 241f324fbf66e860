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

    /// <summary>BigQuery refused a query that would bill more than ExportFlows__MaxBytesBilledPerQuery: the data grew or the query is wrong.</summary>
    public const string QueryOverBudget = "QueryOverBudget";

    /// <summary>A backfill ended by cancellation: the run fails with this type and its report (what was written, what remains) as details.</summary>
    public const string BackfillCancelled = "BackfillCancelled";

    /// <summary>
    /// Folder store errors: read-only or permission denied, a link out of the root, a folder where a document belongs
    /// (or a file where a folder does) — these three not retried —, a full disk, a lock held by another writer.
    /// </summary>
    public const string StoreNotWritable = "StoreNotWritable";
    public const string StoreLinkOutsideRoot = "StoreLinkOutsideRoot";
    public const string StoreFull = "StoreFull";
    public const string StoreLocked = "StoreLocked";
    public const string StorePathConflict = "StorePathConflict";

    /// <summary>External exporters: the data is not there yet (retried with backoff until the schedule-to-close timeout).</summary>
    public const string NotReady = "NotReady";

    /// <summary>Reported (not raised) when no worker took an external export within its schedule-to-start timeout.</summary>
    public const string NoExternalWorker = "NoExternalWorker";

    /// <summary>A worker was asked to call a row with a value argument its producer did not give (and no default): not retried.</summary>
    public const string MissingValue = "MissingValue";

    /// <summary>Reported (not raised) for a row not run: a hard dependency did not succeed, or a value it takes was not given.</summary>
    public const string DependencyFailed = "DependencyFailed";

    /// <summary>The tonight workflow received a predictions-complete message it could not accept, or an event workflow a message its event cannot read (docs/push-endpoint.md).</summary>
    public const string MalformedMessage = "MalformedMessage";

    public static IReadOnlyList<string> NonRetryable { get; } =
        [InvalidRequest, ContractViolation, MissingTable, Credentials, InvalidObjectName, ApiRejected, EmptyInput, InvalidWarehouseData, StoreNotWritable, StoreLinkOutsideRoot,
            StorePathConflict, QueryOverBudget, MissingValue];
}
