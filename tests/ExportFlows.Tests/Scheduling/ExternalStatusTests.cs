using System.Globalization;
using ExportFlows.Activities.Storage;
using ExportFlows.Worker.Status;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Tests.Scheduling;

/// <summary><c>status</c> over external types: every object of every enabled type, judged against the schedules that refresh it.</summary>
public sealed class ExternalStatusTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>Objects with the update times a test gives them (the decision under test is the status rule, not the store).</summary>
    private sealed class TimedStore(Dictionary<string, DateTimeOffset> objects) : IObjectStore
    {
        public string Description => "memory";

        private static ObjectMetadata Meta(string name, DateTimeOffset updated) => new(name, 10, "application/json", null, updated, "1", null);

        public Task<ObjectMetadata> WriteAsync(string name, ReadOnlyMemory<byte> content, string contentType, string cacheControl,
            ObjectWriteOptions? write = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ObjectMetadata?> GetMetadataAsync(string name, CancellationToken cancellationToken = default) =>
            Task.FromResult(objects.TryGetValue(name, out var updated) ? Meta(name, updated) : null);

        public Task<IReadOnlyList<ObjectMetadata>> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ObjectMetadata>>(objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(o => Meta(o.Key, o.Value)).ToList());
    }

    [Fact]
    public async Task CheckAsync_EnabledExternalTypes_EveryObjectWithItsVerdict()
    {
        var enabled = ExportPlanner.EnabledTypes(ExportCatalog.Shipped, "subset-all,results,tonight-players,player-profiles");
        var store = new TimedStore(new()
        {
            ["v1/results/2026-02-10.json"] = At("2026-02-11T10:05:00Z"),    // the 5 AM run of 02-11 exported yesterday
            ["v1/results/latest.json"] = At("2026-02-10T10:05:00Z"),        // not rewritten by that run
            ["v1/tonight/player/2026-02-10/a.json"] = At("2026-02-10T22:10:00Z"),   // after the 5 PM run of 02-10: each player's dated file
            ["v1/tonight/player/2026-02-10/b.json"] = At("2026-02-10T22:09:00Z"),
            ["v1/tonight/player/2026-02-10/c.json"] = At("2026-02-10T22:08:00Z"),
            ["v1/tonight/player/2026-02-09/a.json"] = At("2026-02-09T22:10:00Z"),   // the day before's: not the date's
            ["v1/tonight/player/a.json"] = At("2026-02-10T22:10:00Z"),              // and its latest file
            ["v1/tonight/player/b.json"] = At("2026-02-10T22:09:00Z"),
            ["v1/players/a.json"] = At("2026-02-08T11:30:00Z"),             // Sunday's run
            ["v1/players/b.json"] = At("2026-02-08T11:31:00Z"),
        });
        var catalog = ExportScheduleCatalog.MarkEnabled(ExportCatalog.Shipped, enabled);
        var now = At("2026-02-11T15:00:00Z"); // 10 AM EST

        var statuses = await new StatusService(store, ExportCatalog.Shipped, catalog, client: null, enabled).CheckAsync(new DateOnly(2026, 2, 10), now, CancellationToken.None);

        Assert.Equal(["subset-picks", "daily-signals", "subset-performance", "subset-definitions", "results", "results", "tonight-players", "tonight-players",
            "player-profiles", "player-profiles"], statuses.Select(s => s.Type));
        var byName = statuses.ToDictionary(s => s.ObjectName);
        Assert.Equal("fresh", byName["v1/results/2026-02-10.json"].Freshness);
        Assert.Equal("stale", byName["v1/results/latest.json"].Freshness);
        Assert.Contains("2026-02-11 05:00 ET", byName["v1/results/latest.json"].Detail, StringComparison.Ordinal);
        Assert.Equal("phase6-daily-results, event: export-request (when a message lists it)", byName["v1/results/latest.json"].Refresh);
        var players = byName["v1/tonight/player/2026-02-10/*.json (3 objects)"];
        Assert.Equal(("fresh", 3, At("2026-02-10T22:10:00Z")), (players.Freshness, players.Objects, players.Updated));
        Assert.Equal("phase6-tonight-picks, phase6-tonight-picks-morning, phase6-tonight-picks-pregame, event: predictions-complete, " +
            "event: export-request (when a message lists it)", players.Refresh);
        // The latest folder counts its own files, not the dated folders inside it.
        var latestPlayers = byName["v1/tonight/player/*.json (2 objects)"];
        Assert.Equal(("fresh", 2, At("2026-02-10T22:10:00Z")), (latestPlayers.Freshness, latestPlayers.Objects, latestPlayers.Updated));
        Assert.Equal("missing", byName["v1/players/index.json"].Freshness);
        Assert.Equal(("fresh", 2), (byName["v1/players/*.json (2 objects)"].Freshness, byName["v1/players/*.json (2 objects)"].Objects));
        Assert.True(byName["v1/players/index.json"].Unhealthy);
    }

    [Fact]
    public async Task CheckAsync_DefaultEnabledTypes_OnlyTheNativeFour()
    {
        var enabled = ExportPlanner.EnabledTypes(ExportCatalog.Shipped, null);
        var statuses = await new StatusService(new TimedStore([]), ExportCatalog.Shipped, ExportScheduleCatalog.MarkEnabled(ExportCatalog.Shipped, enabled), null, enabled)
            .CheckAsync(new DateOnly(2026, 2, 10), At("2026-02-11T15:00:00Z"), CancellationToken.None);
        Assert.Equal(ExportCatalog.Shipped.NativeTypes, statuses.Select(s => s.Type));
    }

    [Theory]
    [InlineData(null, "2026-02-11T10:00:00Z", "2026-02-11T10:10:00Z", Freshness.Fresh)]      // the run may still be running
    [InlineData(null, "2026-02-11T10:00:00Z", "2026-02-11T10:20:00Z", Freshness.Missing)]
    [InlineData("2026-02-11T10:03:00Z", "2026-02-11T10:00:00Z", "2026-02-11T15:00:00Z", Freshness.Fresh)]
    [InlineData("2026-02-11T09:59:00Z", "2026-02-11T10:00:00Z", "2026-02-11T15:00:00Z", Freshness.Stale)]
    [InlineData("2026-02-01T00:00:00Z", null, "2026-02-11T15:00:00Z", Freshness.Fresh)]      // no refresh was due
    public void Scheduled_WrittenSinceTheLastDueRun(string? updated, string? due, string now, Freshness expected) =>
        Assert.Equal(expected, FreshnessRules.Scheduled(updated is null ? null : At(updated), due is null ? null : At(due), At(now)).State);

    [Fact]
    public void LastDue_DateKeyed_OnlyRunsThatExportThatDate()
    {
        var catalog = ExportCatalog.Shipped.Schedules;
        // results of 02-10 are written by the 5 AM run of 02-11 (yesterday); at 02-11 04:00 ET none was due yet.
        Assert.Null(FreshnessRules.LastDue(ExportCatalog.Shipped, catalog, "results", new DateOnly(2026, 2, 10), At("2026-02-11T09:00:00Z")));
        Assert.Equal(At("2026-02-11T10:00:00Z"), FreshnessRules.LastDue(ExportCatalog.Shipped, catalog, "results", new DateOnly(2026, 2, 10), At("2026-02-11T15:00:00Z")));
        // live of 02-10: the last evening run, or after midnight the late runs that target yesterday.
        Assert.Equal(At("2026-02-11T06:57:00Z"), FreshnessRules.LastDue(ExportCatalog.Shipped, catalog, "live", new DateOnly(2026, 2, 10), At("2026-02-11T15:00:00Z")));
        // A fixed path: the last run of any schedule carrying the type; trends-deep-dive runs on the 1st only.
        Assert.Equal(At("2026-02-01T11:00:00Z"), FreshnessRules.LastDue(ExportCatalog.Shipped, catalog, "trends-deep-dive", null, At("2026-02-11T15:00:00Z")));
    }

    [Fact]
    public async Task CheckAsync_EnabledTypeNothingRefreshes_NeverRefreshedNotFresh()
    {
        var catalog = ExportCatalogParser.ParseOrThrow(Support.CatalogFiles.FirstShipped + Support.CatalogFiles.CalendarRow, "calendar-unscheduled.toml");
        var enabled = ExportPlanner.EnabledTypes(catalog, "subset-all,calendar");
        var store = new TimedStore(new() { ["v1/calendar/game-counts.json"] = At("2026-02-10T12:00:00Z") });
        var schedules = ExportScheduleCatalog.MarkEnabled(catalog, enabled);

        var statuses = await new StatusService(store, catalog, schedules, client: null, enabled).CheckAsync(new DateOnly(2026, 2, 10), At("2026-02-11T15:00:00Z"), CancellationToken.None);

        var calendar = statuses.Single(s => s.Type == "calendar");
        Assert.Equal(("never-refreshed", ""), (calendar.Freshness, calendar.Refresh));
        Assert.True(calendar.Unhealthy);
        Assert.Equal("27 h 0 min old; no schedule, event or orchestrator list refreshes it: add it to the types of a [schedules.*] entry " +
            "or to the runs of an [events.*] table (or the orchestrator list) in the catalog, or disable it", calendar.Detail);
        Assert.Empty(calendar.RefreshedBy);
        Assert.DoesNotContain(statuses, s => s.Type != "calendar" && s.Freshness == "never-refreshed");
    }

    /// <summary>The first shipped catalog (no events), the calendar row, and an event that runs it.</summary>
    private static ExportCatalog CalendarCatalog(string events) =>
        ExportCatalogParser.ParseOrThrow(Support.CatalogFiles.FirstShipped + Support.CatalogFiles.CalendarRow + events, "calendar-events.toml");

    private static async Task<EndpointStatus> CalendarStatusAsync(ExportCatalog catalog, Dictionary<string, DateTimeOffset> objects)
    {
        var enabled = ExportPlanner.EnabledTypes(catalog, "subset-all,calendar");
        var service = new StatusService(new TimedStore(objects), catalog, ExportScheduleCatalog.MarkEnabled(catalog, enabled), client: null, enabled);
        var statuses = await service.CheckAsync(new DateOnly(2026, 2, 10), At("2026-02-11T15:00:00Z"), CancellationToken.None);
        Assert.DoesNotContain(statuses, s => s.Freshness == "never-refreshed");
        return statuses.Single(s => s.Type == "calendar");
    }

    [Fact]
    public async Task CheckAsync_RefreshedOnlyByAnEventWithACondition_ItsAgeNotStaleAndTheConditionShown()
    {
        var calendar = await CalendarStatusAsync(CalendarCatalog(Support.CatalogFiles.GradingCompleteRunsCalendar), new() { ["v1/calendar/game-counts.json"] = At("2026-02-08T15:00:00Z") });

        Assert.Equal(("fresh", "72 h 0 min old; refreshed by event grading-complete"), (calendar.Freshness, calendar.Detail));
        Assert.Equal("event: grading-complete (when status == \"success\" and graded_count > 0)", calendar.Refresh);
        Assert.Equal([new ExportRefresher(ExportRefresherKind.Runs, "grading-complete", "when status == \"success\" and graded_count > 0")], calendar.RefreshedBy);
        Assert.Empty(calendar.NextFireTimes);
        Assert.False(calendar.Unhealthy);
    }

    [Fact]
    public async Task CheckAsync_RefreshedOnlyByAnEventNeverWritten_MissingNamingTheEvent()
    {
        var calendar = await CalendarStatusAsync(CalendarCatalog(Support.CatalogFiles.GradingCompleteRunsCalendar), []);

        Assert.Equal(("missing", "not written yet; refreshed by event grading-complete"), (calendar.Freshness, calendar.Detail));
        Assert.True(calendar.Unhealthy);
    }

    [Fact]
    public async Task CheckAsync_RefreshedOnlyWhenAMessageListsIt_RefreshedAndItsPublisherNamed()
    {
        var calendar = await CalendarStatusAsync(CalendarCatalog(Support.CatalogFiles.ExportRequestEvent), new() { ["v1/calendar/game-counts.json"] = At("2026-02-10T12:00:00Z") });

        Assert.Equal(("fresh", "27 h 0 min old; refreshed only when a message of event export-request lists it: its freshness depends on the message's publisher"),
            (calendar.Freshness, calendar.Detail));
        Assert.Equal("event: export-request (when a message lists it)", calendar.Refresh);
    }

    [Fact]
    public async Task CheckAsync_RunsAndListedEvents_TheRunningEventNamedAndBothListed()
    {
        var calendar = await CalendarStatusAsync(CalendarCatalog(Support.CatalogFiles.GradingCompleteRunsCalendar + Support.CatalogFiles.ExportRequestEvent), new() { ["v1/calendar/game-counts.json"] = At("2026-02-10T12:00:00Z") });

        Assert.Equal(("fresh", "27 h 0 min old; refreshed by event grading-complete"), (calendar.Freshness, calendar.Detail));
        Assert.Equal("event: grading-complete (when status == \"success\" and graded_count > 0), event: export-request (when a message lists it)", calendar.Refresh);
    }
}
