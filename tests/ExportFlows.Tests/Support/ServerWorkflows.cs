using Temporalio.Api.Enums.V1;
using Temporalio.Exceptions;

namespace ExportFlows.Tests.Support;

/// <summary>Clean-up of workflows on the shared test server.</summary>
public static class ServerWorkflows
{
    /// <summary>
    /// Terminates a workflow a test leaves behind (in <c>finally</c>); one that already closed, or never started, is fine.
    /// </summary>
    public static async Task TerminateIfRunningAsync(string workflowId, string reason = "test done")
    {
        var handle = TemporalTestServer.Client.GetWorkflowHandle(workflowId);
        try
        {
            if ((await handle.DescribeAsync().Within()).Status == WorkflowExecutionStatus.Running)
            {
                await handle.TerminateAsync(reason).Within();
            }
        }
        catch (RpcException ex) when (ex.Code is RpcException.StatusCode.NotFound or RpcException.StatusCode.FailedPrecondition)
        {
            // Never started, or closed between the describe and the terminate.
        }
    }

    /// <summary>
    /// For a test whose workflow id is fixed by the product (derived from a date range, or the example message's date):
    /// a run an earlier, interrupted run of the suite left open on this reused server would otherwise take the test's
    /// signal or be attached to, on a task queue no worker polls any more.
    /// </summary>
    public static Task TerminateLeftoverAsync(string workflowId) =>
        TerminateIfRunningAsync(workflowId, "left running by an earlier run of the test suite");
}
