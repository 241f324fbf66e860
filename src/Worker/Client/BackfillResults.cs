using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Client;

/// <summary>The report of a closed backfill run: its result, or the details of a run that ended cancelled.</summary>
public static class BackfillResults
{
    public static async Task<BackfillReport> ReportAsync(Task<BackfillReport> result)
    {
        try
        {
            return await result;
        }
        catch (WorkflowFailedException ex) when (ex.InnerException is ApplicationFailureException { ErrorType: ExportErrorTypes.BackfillCancelled } failure
            && failure.Details.Count > 0)
        {
            return failure.Details.ElementAt<BackfillReport>(0);
        }
    }
}
