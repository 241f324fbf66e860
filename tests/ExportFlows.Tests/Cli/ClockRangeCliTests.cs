using System.Diagnostics;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Cli;
using Xunit.Abstractions;

namespace ExportFlows.Tests.Cli;

/// <summary>A clock (<c>--now</c>) or a date resolved from it outside the sane range is bad input: exit 2, before anything is written.</summary>
public sealed class ClockRangeCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Out => _temp.Sub("out");

    private async Task<CliResult> ExportAsync(string now, string date)
    {
        var watch = Stopwatch.StartNew();
        var result = await CliRunner.RunAsync("export", "--in-process", "--now", now, "--date", date, "--types", "subset-picks,daily-signals",
            "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + Out).WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"export --now {now} --date {date}: exit {result.ExitCode} in {watch.Elapsed.TotalMilliseconds:F0} ms");
        return result;
    }

    [Theory]
    [InlineData("2100-06-01T12:00:00Z", "today")]
    [InlineData("9999-12-31T23:59:59Z", "today")]
    [InlineData("0001-01-01T00:00:00Z", "yesterday")]
    [InlineData("0001-01-01T00:00:00Z", "2026-02-03")]
    public async Task Export_ClockOutsideTheRange_ExitTwoNamingNowAndTheRangeNothingWritten(string now, string date)
    {
        var result = await ExportAsync(now, date);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Equal($"error: invalid --now '{now}': the clock must lie between 2000-01-01T00:00:00Z and 2099-12-31T23:59:59Z", result.Error.Trim());
        Assert.False(Directory.Exists(Out));
    }

    [Theory]
    [InlineData("2000-01-01T12:00:00Z", "yesterday", "1999-12-31")]
    [InlineData("2000-01-01T03:00:00Z", "today", "1999-12-31")] // 22:00 on 31 December in New York
    public async Task Export_DateResolvedFromTheClockOutsideTheRange_ExitTwoNamingTheWordAndDateNothingWritten(string now, string word, string resolved)
    {
        var result = await ExportAsync(now, word);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Equal($"error: invalid date '{word}' ({resolved} in America/New_York at {now}): dates must lie between 2000-01-01 and 2099-12-31",
            result.Error.Trim());
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public async Task Status_ClockOutsideTheRange_ExitTwoNamingNow()
    {
        var result = await CliRunner.RunAsync("status", "--now", "2100-06-01T12:00:00Z", "--store", "dir:" + Out);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith("error: invalid --now '2100-06-01T12:00:00Z': the clock must lie between", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
