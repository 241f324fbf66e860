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
        var scale = new Option<int>("--scale") { Description = $"players per roster as a multiple of 14 (1..{SampleDataOptions.MaxScale}); 3 with --systems 8 is about a real season", DefaultValueFactory = _ => 1 };
        var systems = new Option<int>("--systems") { Description = $"prediction systems writing rows (1..{SampleDataOptions.MaxSystems})", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "print the tables written as one JSON document" };
        var command = new Command("sample-data", "Write a synthetic season of every table the exporters read");
        foreach (var option in new Option[] { output, from, days, seed, scale, systems, json })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse =>
        {
            var defaults = SampleDataOptions.Default;
            var options = new SampleDataOptions(
                parse.GetValue(from) is { } f ? ExportDates.Parse(f, "--from date") : defaults.From,
                parse.GetValue(days) ?? defaults.Days,
                parse.GetValue(seed) ?? defaults.Seed)
            { Scale = parse.GetValue(scale), Systems = parse.GetValue(systems) };
            if (options.Days is < 1 or > 3660)
            {
                throw new InvalidExportRequestException($"invalid --days {options.Days}: expected 1 to 3660");
            }
            if (options.Scale is < 1 or > SampleDataOptions.MaxScale)
            {
                throw new InvalidExportRequestException($"invalid --scale {options.Scale}: expected 1 to {SampleDataOptions.MaxScale}");
            }
            if (options.Systems is < 1 or > SampleDataOptions.MaxSystems)
            {
                throw new InvalidExportRequestException($"invalid --systems {options.Systems}: expected 1 to {SampleDataOptions.MaxSystems}");
            }
            var summary = SampleDataGenerator.Generate(parse.GetValue(output)!, options, new Progress<string>(m => context.Error.WriteLine(m)));
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    folder = summary.Folder,
                    from = ExportDates.ToText(options.From),
                    to = ExportDates.ToText(options.To),
                    rows = summary.RowsPerTable,
                }, ReportPrinter.JsonOptions));
                return ExitCodes.Success;
            }
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
