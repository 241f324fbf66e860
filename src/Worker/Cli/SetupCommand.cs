using System.CommandLine;
using ExportFlows.Worker.Temporal;

namespace ExportFlows.Worker.Cli;

/// <summary><c>exportflows setup</c>: registers the search attributes in the namespace (the worker also does at start).</summary>
public static class SetupCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("setup", $"Register ExportFlows' search attributes in the Temporal namespace: {SearchAttributeRegistration.Describe()}. Safe to repeat");
        var json = new Option<bool>("--json") { Description = "print what was registered as one JSON document" };
        command.Options.Add(json);
        context.AddTemporalTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = context.TemporalSettings(parse);
            var client = await settings.ConnectAsync();
            var result = await SearchAttributeRegistration.EnsureAsync(client, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(
                    new { @namespace = settings.Namespace, added = result.Added, alreadyRegistered = result.AlreadyRegistered }, ReportPrinter.JsonOptions));
                return ExitCodes.Success;
            }
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
