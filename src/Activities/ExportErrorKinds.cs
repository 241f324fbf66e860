using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Google;
using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Activities;

/// <summary>
/// The one classifier of errors: which failure type an activity records for an exception, and whether it is the
/// caller's bad input (CLI exit 2). The first row that matches decides, so a narrower exception comes before its base.
/// </summary>
public static class ExportErrorKinds
{
    /// <param name="ErrorType">The failure type activities record; null: the exception's own type name.</param>
    private sealed record Kind(Func<Exception, bool> Matches, string? ErrorType, bool BadInput);

    private static Kind Row<T>(string? errorType, bool badInput) where T : Exception => new(ex => ex is T, errorType, badInput);

    private static readonly Kind[] Kinds =
    [
        Row<InvalidExportRequestException>(ExportErrorTypes.InvalidRequest, badInput: true),
        Row<ContractViolationException>(ExportErrorTypes.ContractViolation, badInput: true),
        Row<MissingTableException>(ExportErrorTypes.MissingTable, badInput: true),
        Row<GoogleCredentialsException>(ExportErrorTypes.Credentials, badInput: true),
        Row<InvalidObjectNameException>(ExportErrorTypes.InvalidObjectName, badInput: true),
        Row<EmptyInputException>(ExportErrorTypes.EmptyInput, badInput: false),
        // The store's errors are IOExceptions: a store the user pointed at that cannot be written is theirs to fix.
        Row<StoreNotWritableException>(ExportErrorTypes.StoreNotWritable, badInput: true),
        Row<StoreLinkOutsideRootException>(ExportErrorTypes.StoreLinkOutsideRoot, badInput: true),
        Row<StoreFullException>(ExportErrorTypes.StoreFull, badInput: true),
        Row<StoreLockedException>(ExportErrorTypes.StoreLocked, badInput: true),
        Row<StorePathConflictException>(ExportErrorTypes.StorePathConflict, badInput: true),
        Row<InvalidWarehouseDataException>(ExportErrorTypes.InvalidWarehouseData, badInput: false),
        Row<QueryOverBudgetException>(ExportErrorTypes.QueryOverBudget, badInput: false),
        new(ex => ex is GoogleApiException { Retryable: false }, ExportErrorTypes.ApiRejected, BadInput: false),
        Row<GoogleApiException>(ExportErrorTypes.ApiUnavailable, badInput: false),
        Row<WarehouseException>(ExportErrorTypes.Warehouse, badInput: false),
        Row<InvalidCatalogException>(null, badInput: true),
        Row<ArgumentOutOfRangeException>(null, badInput: true),
        Row<IOException>(null, badInput: true),
        Row<UnauthorizedAccessException>(null, badInput: true),
    ];

    /// <summary>The failure type recorded for <paramref name="ex"/>: a named <see cref="ExportErrorTypes"/> value, else its type name.</summary>
    public static string ErrorType(Exception ex) => KindOf(ex)?.ErrorType ?? ex.GetType().Name;

    /// <summary>Whether <paramref name="ex"/> is bad input (a request, catalog, credential or path to fix), not a failure of a service.</summary>
    public static bool IsBadInput(Exception ex) => KindOf(ex)?.BadInput ?? false;

    private static Kind? KindOf(Exception ex) => Kinds.FirstOrDefault(kind => kind.Matches(ex));
}
