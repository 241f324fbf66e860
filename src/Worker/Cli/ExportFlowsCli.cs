using System.CommandLine;
using ExportFlows.Activities.Google;
using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Worker.Cli;

/// <summary>The <c>exportflows</c> command line. Bad input ends with one line on standard error and exit code 2.</summary>
public static class ExportFlowsCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(output, error);
        var root = new RootCommand("ExportFlows: Phase 6 subset exports on Temporal");
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(SampleDataCommand.Create(context));
        root.Subcommands.Add(WorkerCommand.Create(context));
        root.Subcommands.Add(SetupCommand.Create(context));
        root.Subcommands.Add(TriggerCommand.Create(context));
        root.Subcommands.Add(SchedulesCommand.Create(context));
        root.Subcommands.Add(BackfillCommand.Create(context));
        root.Subcommands.Add(StatusCommand.Create(context));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"error: {string.Join("; ", parse.Errors.Select(e => e.Message))} (see 'exportflows --help')");
            return ExitCodes.InvalidInput;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (Exception ex) when (IsBadInput(ex))
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (Exception ex) when (ex is GoogleApiException or WarehouseException or Temporalio.Exceptions.RpcException or Temporal.TemporalUnavailableException
            or Temporal.SearchAttributeRegistrationException)
        {
            await error.WriteLineAsync($"error: {ex.Message}{Hint(ex)}");
            return ExitCodes.ExportFailed;
        }
    }

    /// <summary>What to do next, where the server's own words do not say it.</summary>
    private static string Hint(Exception ex) =>
        ex is Temporalio.Exceptions.RpcException { Code: Temporalio.Exceptions.RpcException.StatusCode.InvalidArgument } rpc &&
        rpc.Message.Contains("search attribute", StringComparison.OrdinalIgnoreCase)
            ? "; register ExportFlows' search attributes with 'exportflows setup' (the worker also does at start)"
            : "";

    private static bool IsBadInput(Exception ex) => ex is InvalidExportRequestException or MissingTableException or GoogleCredentialsException
        or ContractViolationException or InvalidObjectNameException or ArgumentOutOfRangeException or Temporal.TemporalNotConfiguredException;
}
