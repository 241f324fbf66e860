using ExportFlows.Activities;
using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Google;
using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Worker.Cli;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Activities;

/// <summary>One table decides the failure type activities record and whether the CLI answers exit 2 (bad input).</summary>
public sealed class ExportErrorKindsTests
{
    public static TheoryData<Exception, string, bool> Kinds() => new()
    {
        { new InvalidExportRequestException("bad date"), ExportErrorTypes.InvalidRequest, true },
        { new MissingTableException("no table"), ExportErrorTypes.MissingTable, true },
        { new InvalidObjectNameException("bad name"), ExportErrorTypes.InvalidObjectName, true },
        { new EmptyInputException("no rows"), ExportErrorTypes.EmptyInput, false },
        { new StoreFullException("full", new IOException("ENOSPC")), ExportErrorTypes.StoreFull, true },
        { new InvalidWarehouseDataException("t.c", "k=1", "bad"), ExportErrorTypes.InvalidWarehouseData, false },
        { new GoogleApiException("bigquery", 400, "invalid", "rejected", retryable: false), ExportErrorTypes.ApiRejected, false },
        { new GoogleApiException("bigquery", 503, null, "unavailable", retryable: true), ExportErrorTypes.ApiUnavailable, false },
        { new WarehouseException("down"), ExportErrorTypes.Warehouse, false },
        { new InvalidCatalogException([new CatalogError("catalog.toml", 3, "type", "unknown")]), nameof(InvalidCatalogException), true },
        { new IOException("disk"), nameof(IOException), true },
        { new UnauthorizedAccessException("denied"), nameof(UnauthorizedAccessException), true },
        { new InvalidOperationException("bug"), nameof(InvalidOperationException), false },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ErrorTypeAndIsBadInput_EachKind_OneAnswerForActivitiesAndCli(Exception error, string errorType, bool badInput)
    {
        Assert.Equal(errorType, ExportErrorKinds.ErrorType(error));
        Assert.Equal(errorType, ExportActivities.Classify(error));
        Assert.Equal(badInput, ExportErrorKinds.IsBadInput(error));
        Assert.Equal(badInput, ExportFlowsCli.ExitCodeOf(error, CancellationToken.None) == ExitCodes.InvalidInput);
    }
}
