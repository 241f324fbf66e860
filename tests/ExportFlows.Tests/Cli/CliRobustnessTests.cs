using System.Text.Json;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Cli;

namespace ExportFlows.Tests.Cli;

/// <summary>Every failure of the CLI ends in a documented exit code and one line, never a stack trace, and writes nothing.</summary>
public sealed class CliRobustnessTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Out => _temp.Sub("out");

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("1999-12-31")]
    public async Task Export_DateOutsideTheSaneRange_ExitTwoNamingTheRange(string date)
    {
        var result = await CliRunner.RunAsync("export", "--in-process", "--date", date, "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + Out);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Equal($"error: invalid date '{date}': dates must lie between 2000-01-01 and 2099-12-31", result.Error.Trim());
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public async Task Trigger_MessageIsADirectory_ExitTwo()
    {
        var result = await CliRunner.RunAsync("trigger", "predictions-complete", "--message", _temp.Path, "--temporal", "127.0.0.1:1");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith($"error: cannot read message file '{_temp.Path}'", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"game_date\": \"2026-02-03\", \"status\": \"\\ud800\"}", "unreadable value")]
    [InlineData("{\"game_date\": \"2026-02-03\", \"status\": \"success\", \"correlation_id\": \"HUGE\"}", "larger than the limit of 65536 bytes")]
    public async Task Trigger_HostileMessage_ExitTwoBeforeConnecting(string json, string problem)
    {
        var path = _temp.Sub("message.json");
        await File.WriteAllTextAsync(path, json.Replace("HUGE", new string('x', 70_000), StringComparison.Ordinal));

        var result = await CliRunner.RunAsync("trigger", "predictions-complete", "--message", path, "--temporal", "127.0.0.1:1");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task SampleData_UnwritableFolder_ExitTwoOneLine()
    {
        var result = await CliRunner.RunAsync("sample-data", "--out", "/proc/exportflows-cannot-write-here", "--days", "1");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Status_Json_StandardOutputIsOneJsonDocument()
    {
        var result = await CliRunner.RunAsync("status", "--json", "--date", "2026-02-03", "--store", "dir:" + Out);

        Assert.Equal(ExitCodes.Unhealthy, result.ExitCode); // nothing published yet
        using var document = JsonDocument.Parse(result.Output);
        Assert.Equal("2026-02-03", document.RootElement.GetProperty("date").GetString());
        Assert.Contains("endpoint(s) stale, missing or failing", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_CancelledBeforeItStarts_Exit130NothingWritten()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var result = await CliRunner.RunAsync(["export", "--in-process", "--date", "2026-01-20", "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + Out], cancellation.Token);

        Assert.Equal(ExitCodes.Cancelled, result.ExitCode);
        Assert.Equal("cancelled: running work was stopped", result.Error.Trim());
        Assert.Empty(Directory.Exists(Out) ? Directory.GetFiles(Out, "*.json", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task Backfill_JournalWithATruncatedLine_ResumesAndRedoesThatDate()
    {
        var journal = _temp.Sub("journal.jsonl");
        string[] args = ["backfill", "--in-process", "--from", "2026-01-20", "--to", "2026-01-21", "--journal", journal,
            "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + Out];
        Assert.Equal(0, (await CliRunner.RunAsync(args)).ExitCode);
        var lines = await File.ReadAllLinesAsync(journal);
        var crashed = lines.OrderBy(l => l, StringComparer.Ordinal).ToList();
        crashed[^1] = crashed[^1][..(crashed[^1].Length / 2)]; // the process died mid-write
        await File.WriteAllLinesAsync(journal, crashed);

        var resumed = await CliRunner.RunAsync(args);

        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("skipped 1 date(s) already exported", resumed.Output, StringComparison.Ordinal);
        Assert.Contains("1 exported (2 documents), 0 failed", resumed.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
