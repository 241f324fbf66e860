using ExportFlows.Tests.Support;
using ExportFlows.Worker.Cli;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Tests.Cli;

/// <summary>Verbs on a Temporal server that lacks the Schedules or visibility APIs (as the time-skipping test server does), and with none at all.</summary>
public sealed class ServerCapabilityTests : IAsyncLifetime, IDisposable
{
    private readonly FakeTemporalFrontend _server = new();
    private readonly TempFolder _temp = new();

    public Task InitializeAsync() => _server.StartAsync();

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task Status_ServerWithoutVisibility_FreshnessOfEveryEndpointAndRunsSayWhy()
    {
        _server.Answers["GetWorkflowExecutionHistory"] = 5;

        var result = await CliRunner.RunAsync("status", "--date", "2026-01-20", "--temporal", _server.Address, "--store", "dir:" + _temp.Sub("out")).Within();

        Assert.Equal(ExitCodes.Unhealthy, result.ExitCode);
        foreach (var name in new[] { "v1/picks/2026-01-20.json", "v1/signals/2026-01-20.json", "v1/subsets/performance.json", "v1/systems/subsets.json" })
        {
            Assert.Contains($"{name}  MISSING", result.Output, StringComparison.Ordinal);
        }
        Assert.Contains("runs: (this Temporal server cannot list workflows", result.Output, StringComparison.Ordinal);
        Assert.Contains("note: recent runs not shown: this Temporal server cannot list workflows", result.Error, StringComparison.Ordinal);
        Assert.Contains("ListWorkflowExecutions", _server.Calls);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("sync")]
    [InlineData("pause", "phase6-postgame-performance", "--note", "x")]
    [InlineData("trigger", "phase6-postgame-performance")]
    public async Task Schedules_ServerWithoutSchedulesApi_ExitFourNamingTheMissingApi(params string[] verb)
    {
        var result = await CliRunner.RunAsync(["schedules", .. verb, "--temporal", _server.Address]).Within();

        Assert.Equal(ExitCodes.TemporalUnavailable, result.ExitCode);
        Assert.Contains("error: this Temporal server has no Schedules API (e.g. the time-skipping test server): use a Temporal cluster or the dev server", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchedulesSyncDryRun_ServerWithoutSchedulesApi_ShowsEveryScheduleAsCreated()
    {
        var result = await CliRunner.RunAsync("schedules", "sync", "--dry-run", "--temporal", _server.Address).Within();

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("note: this Temporal server has no Schedules API", result.Error, StringComparison.Ordinal);
        Assert.All(Enabled(), id => Assert.Contains($"create    {id}  fingerprint ", result.Output, StringComparison.Ordinal));
        Assert.Contains($"{Enabled().Count} change(s) would be made", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchedulesSyncDryRun_NoServerConfigured_ShowsEveryScheduleAsCreated()
    {
        var result = await CliRunner.RunAsync("schedules", "sync", "--dry-run", "--json").Within();

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(result.Output);
        var changes = doc.RootElement.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("action").GetString());
        Assert.Equal(ExportCatalog.Shipped.Schedules.Select(e => e.Id).Order(StringComparer.Ordinal), changes.Keys.Order(StringComparer.Ordinal));
        Assert.All(Enabled(), id => Assert.Equal("create", changes[id]));
        Assert.All(changes.Where(c => !Enabled().Contains(c.Key)), c => Assert.Equal("not-enabled", c.Value));
    }

    [Fact]
    public async Task SchedulesShow_NoServer_EveryEntryWithItsNextFireTimes()
    {
        var result = await CliRunner.RunAsync("schedules", "show", "--now", "2026-02-10T12:30:00Z", "--json").Within();

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(result.Output);
        var entries = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(ExportCatalog.Shipped.Schedules.Select(e => e.Id), entries.Select(e => e.GetProperty("id").GetString()));
        Assert.All(entries, e => Assert.Equal(3, e.GetProperty("nextFireTimes").GetArrayLength()));
        Assert.All(entries, e => Assert.True(e.GetProperty("nextFireTimes")[0].GetDateTimeOffset() > DateTimeOffset.Parse("2026-02-10T12:30:00Z", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The catalog entries with a type enabled by default (the native ones): those a sync creates.</summary>
    private static List<string> Enabled() => ExportCatalog.Shipped.Schedules
        .Where(e => e.Types.Any(ExportCatalog.Shipped.NativeTypes.Contains))
        .Select(e => e.Id).ToList();

    public void Dispose() => _temp.Dispose();
}
