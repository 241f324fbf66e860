using System.CommandLine;
using ExportFlows.Worker.Temporal;

namespace ExportFlows.Worker.Cli;

/// <summary><c>exportflows setup</c>: registers the search attributes in the namespace (the worker also does at start).</summary>
public static class SetupCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("setup", $"Register ExportFlows' search attributes in the Temporal namespace: {SearchAttributeRegistration.Describe()}. Safe to repeat");
        context.AddTemporalTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = context.TemporalSettings(parse);
            var client = await settings.ConnectAsync();
            var result = await SearchAttributeRegistration.EnsureAsync(client, cancellationToken);
            foreach (var name in result.Added)
            {
                await context.Output.WriteLineAsync($"registered {name} in namespace {settings.Namespace}");
            }
            foreach (var name in result.AlreadyRegistered)
            {
                await context.Output.WriteLineAsync($"{name} already registered in namespace {settings.Namespace}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
