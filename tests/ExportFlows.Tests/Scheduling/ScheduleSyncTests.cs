using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Tests.Scheduling;

public sealed class ScheduleSyncTests
{
    private static readonly IReadOnlyList<ExportScheduleEntry> Catalog = ExportScheduleCatalog.Default;

    private static ExistingSchedule Current(ExportScheduleEntry entry) => new(entry.Id, ScheduleSync.Fingerprint(entry, "exportflows"));

    [Fact]
    public void Diff_NothingOnServer_CreatesAll()
    {
        var changes = ScheduleSync.Diff(Catalog, "exportflows", [], prune: false);
        Assert.All(changes, c => Assert.Equal(ScheduleSyncAction.Create, c.Action));
        Assert.Equal(4, changes.Count);
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
        var changed = Catalog.Select(e => e.Id == "phase6-daily-definitions" ? e with { Hours = [6] } : e).ToList();
        var changes = ScheduleSync.Diff(changed, "exportflows", existing, prune: false);
        Assert.Equal(["phase6-daily-definitions"], changes.Where(c => c.Action == ScheduleSyncAction.Update).Select(c => c.Id));
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
}
