using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Scheduling;

public sealed class SchedulesCliTests
{
    [Theory]
    [InlineData("pause", "phase6-hourly-perf", "--note", "x")]
    [InlineData("trigger", "bogus")]
    [InlineData("backfill", "bogus", "--from", "2026-01-01", "--to", "2026-01-02")]
    public async Task Schedules_UnknownName_ExitTwoBeforeConnecting(params string[] args)
    {
        // The address is unreachable: a connection attempt would fail with exit 1 and another message.
        var result = await CliRunner.RunAsync(["schedules", .. args, "--temporal", "127.0.0.1:1"]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: unknown schedule '{args[1]}'; schedules: phase6-daily-results, phase6-hourly-trends, ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedules_NoTemporalAddress_ExitTwo()
    {
        Environment.SetEnvironmentVariable("Temporal__Address", null);
        var result = await CliRunner.RunAsync("schedules", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: no Temporal address configured: pass --temporal HOST:PORT or set Temporal__Address", result.Error.Trim());
    }

    [Fact]
    public async Task Schedules_KnownNameUnreachableServer_ExitFour()
    {
        var result = await CliRunner.RunAsync("schedules", "trigger", "phase6-daily-results", "--temporal", "127.0.0.1:1");

        Assert.Equal(4, result.ExitCode);
        Assert.StartsWith("error: cannot connect to Temporal at 127.0.0.1:1", result.Error, StringComparison.Ordinal);
    }
}
