using System.CommandLine;
using ExportFlows.Activities.Sample;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Worker.Cli;

/// <summary><c>exportflows sample-data</c>: writes the deterministic synthetic warehouse.</summary>
public static class SampleDataCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "folder to write the table files to", Required = true };
        var from = new Option<string?>("--from") { Description = $"first game date (default {SampleDataOptions.Default.From:yyyy-MM-dd})" };
        var days = new Option<int?>("--days") { Description = $"number of dates (default {SampleDataOptions.Default.Days})" };
        var seed = new Option<int?>("--seed") { Description = $"random seed (default {SampleDataOptions.Default.Seed})" };
        var command = new Command("sample-data", "Write a synthetic season of every table the exporters read");
        command.Options.Add(output);
        command.Options.Add(from);
        command.Options.Add(days);
        command.Options.Add(seed);
        command.SetAction(parse =>
        {
            var defaults = SampleDataOptions.Default;
            var options = new SampleDataOptions(
                parse.GetValue(from) is { } f ? ExportDates.Parse(f, "--from date") : defaults.From,
                parse.GetValue(days) ?? defaults.Days,
                parse.GetValue(seed) ?? defaults.Seed);
            if (options.Days is < 1 or > 3660)
            {
                throw new InvalidExportRequestException($"invalid --days {options.Days}: expected 1 to 3660");
            }
            var summary = SampleDataGenerator.Generate(parse.GetValue(output)!, options, new Progress<string>(m => context.Error.WriteLine(m)));
            foreach (var (table, rows) in summary.RowsPerTable)
            {
                context.Output.WriteLine($"{table,-45} {rows,8} rows");
            }
            context.Output.WriteLine($"wrote {options.From:yyyy-MM-dd}..{options.To:yyyy-MM-dd} to {summary.Folder}");
            return ExitCodes.Success;
        });
        return command;
    }
}
