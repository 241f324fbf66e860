using System.CommandLine;

namespace ExportFlows.Worker.Cli;

/// <summary>
/// Hidden <c>exportflows docs cli [--out FILE]</c>: renders docs/cli.md from the command definitions (a test fails
/// when the page and <c>--help</c> differ). With <c>--out</c> the page's hand-written head is kept.
/// </summary>
public static class DocsCommand
{
    public static Command Create(CliContext context)
    {
        var outFile = new Option<string?>("--out") { Description = "write the page to FILE, keeping its hand-written head (default: the generated part to standard output)" };
        var cli = new Command("cli", "Render the command-line reference (docs/cli.md) from the command definitions");
        cli.Options.Add(outFile);
        cli.SetAction(async (parse, cancellationToken) =>
        {
            var root = parse.RootCommandResult.Command;
            if (parse.GetValue(outFile) is not { Length: > 0 } path)
            {
                await context.Output.WriteAsync(CliReferencePage.Generated(root));
                return ExitCodes.Success;
            }
            var existing = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : null;
            await File.WriteAllTextAsync(path, CliReferencePage.Page(existing, root), cancellationToken);
            await context.Output.WriteLineAsync($"wrote {path}");
            return ExitCodes.Success;
        });
        var command = new Command("docs", "Generate documentation pages from the code") { Hidden = true };
        command.Subcommands.Add(cli);
        return command;
    }
}
