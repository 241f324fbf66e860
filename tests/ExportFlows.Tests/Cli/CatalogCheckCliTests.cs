using ExportFlows.Tests.Support;
using ExportFlows.Worker.Cli;
using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Tests.Cli;

/// <summary><c>exportflows catalog check [FILE]</c>: every error at once with file, line and key; exit 2; else a summary.</summary>
public sealed class CatalogCheckCliTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Check_ShippedCatalog_ExitZeroWithOneLineSummary()
    {
        var result = await CliRunner.RunAsync("catalog", "check");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal($"{ExportCatalog.ShippedSource}: valid; fingerprint {ExportCatalog.Shipped.Fingerprint}; 43 types (4 native, 39 external), " +
            "4 groups, 15 in the orchestrator's list, 16 schedules, 3 events\n", result.Output);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Check_NewExternalRowAndSchedule_ExitZeroCountingThem()
    {
        var file = CatalogFiles.Write(_temp, "calendar.toml", CatalogFiles.WithCalendar);

        var result = await CliRunner.RunAsync("catalog", "check", file);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal($"{file}: valid; fingerprint {ExportCatalogParser.Fingerprint(CatalogFiles.WithCalendar)}; 22 types (4 native, 18 external), " +
            "4 groups, 7 in the orchestrator's list, 14 schedules, 0 events\n", result.Output);
    }

    [Fact]
    public async Task Check_FourMistakes_EveryErrorOnItsOwnLineWithFileLineAndKeyExitTwo()
    {
        var text = CatalogFiles.ShippedWith(
            ("implementation = \"subset-picks\"", "implementation = \"subset-pics\""),
            ("method = \"export\", args = [\"target_date\"], kwargs = { update_latest = \"update_latest\" } }", "method = \"export\", args = [\"date\"], kwargs = { update_latest = \"update_latest\" } }"),
            ("trends-daily = [\"trends-hot-cold\"", "trends-daily = [\"trends-hot\""),
            ("types = [\"trends-deep-dive\"]", "types = [\"trends-deep-div\"]"));
        var file = CatalogFiles.Write(_temp, "bad.toml", text);

        var result = await CliRunner.RunAsync("catalog", "check", file);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        var lines = result.Output.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith($"{file}:{CatalogFiles.LineOf(text, "subset-pics")}: types.subset-picks.implementation: no native exporter 'subset-pics' is registered in this build", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{file}:{CatalogFiles.LineOf(text, "args = [\"date\"]")}: types.results.call.args: 'date' is no request value", lines[1], StringComparison.Ordinal);
        Assert.Equal($"{file}:{CatalogFiles.LineOf(text, "trends-daily = ")}: groups.trends-daily: names unknown type 'trends-hot'", lines[2]);
        Assert.Equal($"{file}:{CatalogFiles.LineOf(text, "trends-deep-div\"]")}: schedules.phase6-trends-monthly.types: names unknown type or group 'trends-deep-div'", lines[3]);
        Assert.StartsWith($"error: {file} does not validate (4 errors above)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SyntaxError_NamedWithItsLineExitTwo()
    {
        var text = CatalogFiles.ShippedWith(("[types.results]\n", "[types.results\n"));
        var file = CatalogFiles.Write(_temp, "syntax.toml", text);

        var result = await CliRunner.RunAsync("catalog", "check", file);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith($"{file}:{CatalogFiles.LineOf(text, "[types.results")}: (syntax): ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_MissingFile_ExitTwoNamingIt()
    {
        var file = _temp.Sub("nope.toml");

        var result = await CliRunner.RunAsync("catalog", "check", file);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith($"{file}: (file): cannot be read", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NoFileArgument_ChecksTheCatalogOption()
    {
        var bad = CatalogFiles.Write(_temp, "bad.toml", CatalogFiles.ShippedWith(("date = \"as-of\"", "date = \"asof\"")));
        var good = CatalogFiles.Write(_temp, "good.toml", CatalogFiles.WithCalendar);

        var fromOption = await CliRunner.RunAsync("catalog", "check", "--catalog", bad);
        var argumentWins = await CliRunner.RunAsync("catalog", "check", good, "--catalog", bad);

        Assert.Equal(ExitCodes.InvalidInput, fromOption.ExitCode);
        Assert.StartsWith($"{bad}:", fromOption.Output, StringComparison.Ordinal);
        Assert.Contains("types.subset-performance.date: 'asof' is not a date kind", fromOption.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, argumentWins.ExitCode);
        Assert.StartsWith($"{good}: valid;", argumentWins.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_RowsOnAQueueNobodyPolls_WarnedWithTheirLinesExitZero()
    {
        var text = CatalogFiles.ShippedWith(
            ("[types.results]\nkind = \"external\"\n", "[types.results]\nkind = \"external\"\ntask_queue = \"exportflows\"\n"),
            ("implementation = \"daily-signals\"\n", "implementation = \"daily-signals\"\ntask_queue = \"exportflows-other\"\n"));
        var file = CatalogFiles.Write(_temp, "queues.toml", text);

        var result = await CliRunner.RunAsync("catalog", "check", file);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var lines = result.Output.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"warning: {file}:{CatalogFiles.LineOf(text, "task_queue = \"exportflows-other\"")}: types.daily-signals.task_queue: native row on task queue 'exportflows-other', " +
            "which the .NET worker of this configuration does not poll (it polls 'exportflows')", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"warning: {file}:{CatalogFiles.LineOf(text, "task_queue = \"exportflows\"")}: types.results.task_queue: external row on the .NET worker's task queue 'exportflows'", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{file}: valid;", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WorkerOnTheRowsQueue_NoWarning()
    {
        var file = CatalogFiles.Write(_temp, "queue.toml", CatalogFiles.ShippedWith(("implementation = \"daily-signals\"\n", "implementation = \"daily-signals\"\ntask_queue = \"exportflows-2\"\n")));

        var result = await CliRunner.RunAsync("catalog", "check", file, "--task-queue", "exportflows-2");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        // The other native rows now default to exportflows-2 as well; nothing is on a queue nobody polls.
        Assert.DoesNotContain("warning:", result.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
