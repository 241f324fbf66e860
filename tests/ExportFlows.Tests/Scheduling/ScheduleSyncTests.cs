using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Tests.Scheduling;

public sealed class ScheduleSyncTests
{
    private static readonly IReadOnlyList<ExportScheduleEntry> Catalog = ExportCatalog.Shipped.Schedules;

    private static ExistingSchedule Current(ExportScheduleEntry entry) => new(entry.Id, ScheduleSync.Fingerprint(entry, "exportflows"));

    [Fact]
    public void Diff_NothingOnServer_CreatesAll()
    {
        var changes = ScheduleSync.Diff(Catalog, "exportflows", [], prune: false);
        Assert.All(changes, c => Assert.Equal(ScheduleSyncAction.Create, c.Action));
        Assert.Equal(16, changes.Count);
    }

    [Fact]
    public void Diff_AfterSync_SecondRunChangesNothing()
    {
        var changes = ScheduleSync.Diff(Catalog, "exportflows", Catalog.Select(Current).ToList(), prune: true);
        Assert.All(changes, c => Assert.Equal(ScheduleSyncAction.Unchanged, c.Action));
    }

    [Fact]
    public void Diff_ChangedEntryOrTaskQueue_Updates()
    {
        var existing = Catalog.Select(Current).ToList();
        var changed = Catalog.Select(e => e.Id == "phase6-daily-results" ? e with { Hours = [6] } : e).ToList();
        var changes = ScheduleSync.Diff(changed, "exportflows", existing, prune: false);
        Assert.Equal(["phase6-daily-results"], changes.Where(c => c.Action == ScheduleSyncAction.Update).Select(c => c.Id));
        Assert.All(ScheduleSync.Diff(Catalog, "other-queue", existing, prune: false), c => Assert.Equal(ScheduleSyncAction.Update, c.Action));
    }

    [Fact]
    public void Diff_Prune_DeletesOnlyOwnOrphans()
    {
        var existing = Catalog.Select(Current).Append(new ExistingSchedule("phase6-retired", "abcdef0123456789")).Append(new ExistingSchedule("someone-elses", null)).ToList();

        var without = ScheduleSync.Diff(Catalog, "exportflows", existing, prune: false);
        Assert.DoesNotContain(without, c => c.Action == ScheduleSyncAction.Delete);
        Assert.Contains(without, c => c.Id == "phase6-retired" && c.Detail.Contains("--prune", StringComparison.Ordinal));

        var with = ScheduleSync.Diff(Catalog, "exportflows", existing, prune: true);
        Assert.Equal(["phase6-retired"], with.Where(c => c.Action == ScheduleSyncAction.Delete).Select(c => c.Id));
        Assert.DoesNotContain(with, c => c.Id == "someone-elses");
    }

    [Fact]
    public void Fingerprint_IgnoresHourOrderButNotNote()
    {
        var entry = Catalog[0];
        Assert.Equal(ScheduleSync.Fingerprint(entry, "q"), ScheduleSync.Fingerprint(entry with { Hours = entry.Hours.Reverse().ToList() }, "q"));
        Assert.NotEqual(ScheduleSync.Fingerprint(entry, "q"), ScheduleSync.Fingerprint(entry with { Note = "changed" }, "q"));
    }

    [Fact]
    public void Diff_NoTypeEnabled_ReportedNotEnabledNeverCreated()
    {
        var marked = ExportScheduleCatalog.MarkEnabled(ExportCatalog.Shipped, ExportFlows.Workflows.Planning.ExportPlanner.EnabledTypes(ExportCatalog.Shipped, null));
        var changes = ScheduleSync.Diff(marked, "exportflows", [], prune: false);

        Assert.Equal(["phase6-daily-results", "phase6-hourly-trends", "phase6-tonight-picks-morning", "phase6-tonight-picks-pregame", "phase6-postgame-performance"],
            changes.Where(c => c.Action == ScheduleSyncAction.Create).Select(c => c.Id));
        var live = changes.Single(c => c.Id == "phase6-live-evening");
        Assert.Equal((ScheduleSyncAction.NotEnabled, "not-enabled"), (live.Action, ScheduleSync.ActionName(live.Action)));
        Assert.Contains("none of its types (live, live-grading, tonight) is enabled", live.Detail, StringComparison.Ordinal);
        Assert.False(ScheduleSync.IsChange(live.Action));
    }

    [Fact]
    public void Diff_ExistingScheduleNoLongerEnabled_LeftUnlessPruned()
    {
        var entry = Catalog.Single(e => e.Id == "phase6-trends-monthly");
        var existing = new[] { Current(entry) };
        var marked = new[] { entry with { NotEnabled = true } };

        Assert.Equal(ScheduleSyncAction.NotEnabled, Assert.Single(ScheduleSync.Diff(marked, "exportflows", existing, prune: false)).Action);
        Assert.Equal(ScheduleSyncAction.Delete, Assert.Single(ScheduleSync.Diff(marked, "exportflows", existing, prune: true)).Action);
    }

    [Fact]
    public void Fingerprint_EntryWithoutNewFields_SameHashAsBeforeTheyExisted()
    {
        // The v1 canonical form, as sync wrote it before day/minute-step/body fields existed: unchanged entries are not updated.
        var entry = Catalog.Single(e => e.Id == "phase6-postgame-performance");
        var canonical = System.Text.Json.JsonSerializer.Serialize(new
        {
            v = 1,
            entry.Id,
            hours = entry.Hours.Order().ToArray(),
            entry.Minute,
            entry.Types,
            entry.TargetDate,
            entry.AsOf,
            overlap = entry.Overlap.ToString(),
            catchup = entry.CatchupWindow.TotalSeconds,
            entry.Note,
            taskQueue = "q",
            zone = "America/New_York",
        });
        var v1 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)))[..16];
        Assert.Equal(v1, ScheduleSync.Fingerprint(entry, "q"));
        Assert.NotEqual(v1, ScheduleSync.Fingerprint(entry with { DaysOfWeek = [DayOfWeek.Sunday] }, "q"));
        Assert.NotEqual(ScheduleSync.Fingerprint(entry with { Options = new Dictionary<string, long> { ["min_games"] = 5 } }, "q"), ScheduleSync.Fingerprint(entry with { Options = new Dictionary<string, long> { ["min_games"] = 6 } }, "q"));
    }
}
