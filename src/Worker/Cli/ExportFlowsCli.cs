using System.CommandLine;
using ExportFlows.Activities;
using ExportFlows.Activities.Google;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Worker.Engines;

namespace ExportFlows.Worker.Cli;

/// <summary>The <c>exportflows</c> command line. Bad input ends with one line on standard error and exit code 2.</summary>
public static class ExportFlowsCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(output, error);
        // The tool's name in every usage line, whatever process hosts it (the test host too), so docs/cli.md is one text.
        var root = new RootCommand("ExportFlows: Phase 6 subset exports on Temporal") { HelpName = "exportflows" };
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(SampleDataCommand.Create(context));
        root.Subcommands.Add(WorkerCommand.Create(context));
        root.Subcommands.Add(SetupCommand.Create(context));
        root.Subcommands.Add(TriggerCommand.Create(context));
        root.Subcommands.Add(SchedulesCommand.Create(context));
        root.Subcommands.Add(BackfillCommand.Create(context));
        root.Subcommands.Add(StatusCommand.Create(context));
        root.Subcommands.Add(CatalogCommand.Create(context));
        root.Subcommands.Add(DocsCommand.Create(context));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"error: {string.Join("; ", parse.Errors.Select(e => e.Message))}{Suggestions(parse)} (see 'exportflows --help')");
            return ExitCodes.InvalidInput;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
                // Signals are handled by the caller's token (Program.cs): one path to exit 130 for every verb.
                ProcessTerminationTimeout = null,
            }, cancellationToken);
        }
        catch (Exception ex)
        {
            // The one place every failure of every verb ends: a documented exit code and one line, the stack trace only with -v.
            var code = ExitCodeOf(ex, cancellationToken);
            await error.WriteLineAsync(code switch
            {
                ExitCodes.Cancelled when ex is RunInterruptedException => ex.Message,
                ExitCodes.Cancelled => "cancelled: running work was stopped",
                ExitCodes.InternalError => $"internal error: {ex.GetType().Name}: {OneLine(ex.Message)}; please report it with the output of -v",
                _ => $"error: {OneLine(ex.Message)}{Hint(ex)}",
            });
            if (args.Contains("-v") || args.Contains("--verbose"))
            {
                await error.WriteLineAsync(ex.ToString());
            }
            return code;
        }
    }

    public static int ExitCodeOf(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        RunInterruptedException => ExitCodes.Cancelled,
        OperationCanceledException when cancellationToken.IsCancellationRequested => ExitCodes.Cancelled,
        _ when ExportErrorKinds.IsBadInput(ex) || ex is Temporal.TemporalNotConfiguredException => ExitCodes.InvalidInput,
        Temporal.TemporalUnavailableException or Temporal.TemporalCapabilityException or Client.StartConflictExhaustedException or Temporal.SearchAttributeRegistrationException or Temporalio.Exceptions.RpcException => ExitCodes.TemporalUnavailable,
        GoogleApiException or WarehouseException => ExitCodes.ExportFailed,
        _ => ExitCodes.InternalError,
    };

    /// <summary>"Did you mean" for each unknown option or verb, from the options and subcommands of the command being parsed.</summary>
    private static string Suggestions(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var options = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).ToList();
        var verbs = command.Subcommands.Select(c => c.Name).ToList();
        return string.Concat(parse.UnmatchedTokens.Distinct(StringComparer.Ordinal)
            .Select(token => Workflows.Planning.NameSuggestion.Hint(token, token.StartsWith('-') ? options : verbs)));
    }

    private static string OneLine(string message) => message.Split('\n')[0].TrimEnd('\r');

    /// <summary>What to do next, where the server's own words do not say it.</summary>
    private static string Hint(Exception ex) =>
        ex is Temporalio.Exceptions.RpcException { Code: Temporalio.Exceptions.RpcException.StatusCode.InvalidArgument } rpc &&
        rpc.Message.Contains("search attribute", StringComparison.OrdinalIgnoreCase)
            ? "; register ExportFlows' search attributes with 'exportflows setup' (the worker also does at start)"
            : "";
}
