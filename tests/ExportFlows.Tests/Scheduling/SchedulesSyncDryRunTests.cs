using System.Text.Json;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Cli;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Tests.Scheduling;

/// <summary><c>schedules sync --dry-run</c> (no server): each job with the types it exports and its calendar in words.</summary>
public sealed class SchedulesSyncDryRunTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private static string Fingerprint(string id) => ScheduleSync.Fingerprint(ExportCatalog.Shipped.Schedules.Single(s => s.Id == id), "exportflows");

    [Fact]
    public async Task DryRun_ShippedCatalog_EachJobWithItsTypesAndCalendar()
    {
        var result = await CliRunner.RunAsync("schedules", "sync", "--dry-run");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains($"create    phase6-daily-results  fingerprint {Fingerprint("phase6-daily-results")}\n" +
            "          daily 5:00 ET: results, performance, best-bets, predictions, admin-dashboard, admin-picks, subset-definitions " +
            "(not enabled: results, performance, best-bets, predictions, admin-dashboard, admin-picks)\n", result.Output, StringComparison.Ordinal);
        Assert.Contains($"create    phase6-postgame-performance  fingerprint {Fingerprint("phase6-postgame-performance")}\n" +
            "          daily 2:00 ET: subset-performance\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("not-enabled phase6-live-evening  none of its types (live, live-grading, tonight) is enabled (ExportFlows__EnabledTypes): not created\n" +
            "          every 3 min 19:00–23:57 ET: live, live-grading, tonight\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("\n          Sunday 6:00 ET: player-profiles\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_ShippedCatalog_AfterTheJobsEachEnabledTypeWithItsEvents()
    {
        var result = await CliRunner.RunAsync("schedules", "sync", "--dry-run");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var after = result.Output[result.Output.IndexOf("change(s) would be made\n", StringComparison.Ordinal)..];
        Assert.Equal("change(s) would be made\n" +
            "enabled types refreshed by events (and schedules):\n" +
            "  subset-picks: phase6-tonight-picks-morning, phase6-tonight-picks-pregame, event: predictions-complete, " +
            "event: grading-complete (when status == \"success\" and graded_count > 0), event: export-request (when a message lists it)\n" +
            "  daily-signals: phase6-tonight-picks-morning, phase6-tonight-picks-pregame, event: predictions-complete, event: export-request (when a message lists it)\n" +
            "  subset-performance: phase6-hourly-trends, phase6-postgame-performance, event: export-request (when a message lists it)\n" +
            "  subset-definitions: phase6-daily-results, event: export-request (when a message lists it)\n", after);
    }

    [Fact]
    public async Task DryRunJson_EveryChange_TypesNotEnabledTypesAndWhen()
    {
        var result = await CliRunner.RunAsync("schedules", "sync", "--dry-run", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        var changes = doc.RootElement.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        var hourly = changes["phase6-hourly-trends"];
        Assert.Equal(("create", $"fingerprint {Fingerprint("phase6-hourly-trends")}", "hourly 6–23 at :00 ET"),
            (hourly.GetProperty("action").GetString(), hourly.GetProperty("detail").GetString(), hourly.GetProperty("when").GetString()));
        Assert.Equal(["trends-hot-cold", "trends-bounce-back", "tonight-trend-plays", "subset-performance"], hourly.GetProperty("types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["trends-hot-cold", "trends-bounce-back", "tonight-trend-plays"], hourly.GetProperty("notEnabledTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.All(changes.Values, c => Assert.EndsWith(" ET", c.GetProperty("when").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task DryRun_NewScheduleOfANewType_ListedWithItsCalendar()
    {
        var file = CatalogFiles.Write(_temp, "calendar.toml", CatalogFiles.WithCalendar);

        var result = await CliRunner.RunAsync("schedules", "sync", "--dry-run", "--catalog", file);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("not-enabled phase6-calendar  none of its types (calendar) is enabled (ExportFlows__EnabledTypes): not created\n" +
            "          daily 4:30 ET: calendar\n", result.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>The worked example of docs/catalog.md: the new type enabled, its new schedule is created.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class SchedulesSyncEnabledTypeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task DryRun_NewTypeEnabled_ItsScheduleCreatedWithItsTypes()
    {
        var file = CatalogFiles.Write(_temp, "calendar.toml", CatalogFiles.WithCalendar);
        var entry = ExportCatalogParser.ParseOrThrow(CatalogFiles.WithCalendar, file).Schedules.Single(s => s.Id == "phase6-calendar");
        Environment.SetEnvironmentVariable("ExportFlows__EnabledTypes", "subset-all,calendar");
        try
        {
            var result = await CliRunner.RunAsync("schedules", "sync", "--dry-run", "--catalog", file);

            Assert.Equal(ExitCodes.Success, result.ExitCode);
            Assert.Contains($"create    phase6-calendar  fingerprint {ScheduleSync.Fingerprint(entry, "exportflows")}\n          daily 4:30 ET: calendar\n",
                result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ExportFlows__EnabledTypes", null);
        }
    }

    [Fact]
    public async Task DryRun_EnabledTypeRefreshedOnlyByAnEvent_ListedWithItsConditionNoWarning()
    {
        var file = CatalogFiles.Write(_temp, "calendar.toml", CatalogFiles.FirstShipped + CatalogFiles.CalendarRow + CatalogFiles.GradingCompleteRunsCalendar);

        var result = await WithEnabledAsync("subset-all,calendar", "schedules", "sync", "--dry-run", "--catalog", file);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.EndsWith("\n  calendar: event: grading-complete (when status == \"success\" and graded_count > 0)\n", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_EnabledTypeNothingRefreshes_WarningSayingWhatToAddExitUnchanged()
    {
        var file = CatalogFiles.Write(_temp, "calendar.toml", CatalogFiles.FirstShipped + CatalogFiles.CalendarRow);

        var result = await WithEnabledAsync("subset-all,calendar", "schedules", "sync", "--dry-run", "--catalog", file);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.EndsWith("\nwarning: calendar is enabled but no schedule or event refreshes it: add it to the types of a [schedules.*] entry or to the runs of " +
            "an [events.*] table (or the orchestrator list) in the catalog, or disable it\n", result.Output, StringComparison.Ordinal);
        Assert.Single(result.Output.Split('\n'), l => l.StartsWith("warning:", StringComparison.Ordinal));
        // The native types are refreshed by the built-in predictions-complete event (this catalog declares none).
        Assert.Contains("\n  subset-picks: phase6-tonight-picks, phase6-tonight-picks-morning, phase6-tonight-picks-pregame, event: predictions-complete\n",
            result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRunJson_EnabledTypeNothingRefreshes_WarningInTheDocumentAndOnStandardError()
    {
        var file = CatalogFiles.Write(_temp, "calendar.toml", CatalogFiles.FirstShipped + CatalogFiles.CalendarRow + CatalogFiles.ExportRequestEvent);
        var bare = CatalogFiles.Write(_temp, "bare.toml", CatalogFiles.FirstShipped + CatalogFiles.CalendarRow);

        var listed = await WithEnabledAsync("subset-all,calendar", "schedules", "sync", "--dry-run", "--json", "--catalog", file);
        var nothing = await WithEnabledAsync("subset-all,calendar", "schedules", "sync", "--dry-run", "--json", "--catalog", bare);

        using var listedDoc = JsonDocument.Parse(listed.Output);
        var calendar = Assert.Single(listedDoc.RootElement.GetProperty("refreshedBy").GetProperty("calendar").EnumerateArray());
        Assert.Equal(("listed", "export-request", "when a message lists it"),
            (calendar.GetProperty("kind").GetString(), calendar.GetProperty("name").GetString(), calendar.GetProperty("condition").GetString()));
        Assert.Equal(0, listedDoc.RootElement.GetProperty("warnings").GetArrayLength());
        using var nothingDoc = JsonDocument.Parse(nothing.Output);
        Assert.Equal(0, nothingDoc.RootElement.GetProperty("refreshedBy").GetProperty("calendar").GetArrayLength());
        var warning = Assert.Single(nothingDoc.RootElement.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.StartsWith("warning: calendar is enabled but no schedule or event refreshes it", warning, StringComparison.Ordinal);
        Assert.EndsWith("\n" + warning + "\n", nothing.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, nothing.ExitCode);
    }

    private static async Task<CliResult> WithEnabledAsync(string enabled, params string[] args)
    {
        Environment.SetEnvironmentVariable("ExportFlows__EnabledTypes", enabled);
        try
        {
            return await CliRunner.RunAsync(args);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ExportFlows__EnabledTypes", null);
        }
    }

    public void Dispose() => _temp.Dispose();
}
