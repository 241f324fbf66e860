using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ExportFlows.Workflows.Scheduling;

/// <summary>A schedule as found on the server: <paramref name="Fingerprint"/> is null for schedules this tool did not create.</summary>
public sealed record ExistingSchedule(string Id, string? Fingerprint);

public enum ScheduleSyncAction
{
    Create,
    Update,
    Unchanged,
    Delete,
}

public sealed record ScheduleSyncChange(string Id, ScheduleSyncAction Action, string Detail);

/// <summary>Decides what <c>schedules sync</c> does, from the catalog and what the server holds.</summary>
public static class ScheduleSync
{
    /// <summary>Memo key on the schedule's workflow action: marks schedules this tool manages and what it last wrote.</summary>
    public const string FingerprintMemoKey = "exportflows-schedule-fingerprint";

    /// <summary>Stable hash of everything sync writes for an entry (pause state excluded: pausing is an operator's rollback).</summary>
    public static string Fingerprint(ExportScheduleEntry entry, string taskQueue)
    {
        var canonical = JsonSerializer.Serialize(new
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
            taskQueue,
            zone = ExportScheduleCatalog.TimeZone,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
    }

    public static IReadOnlyList<ScheduleSyncChange> Diff(IReadOnlyList<ExportScheduleEntry> desired, string taskQueue, IReadOnlyList<ExistingSchedule> existing, bool prune)
    {
        var byId = existing.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var changes = new List<ScheduleSyncChange>();
        foreach (var entry in desired)
        {
            var fingerprint = Fingerprint(entry, taskQueue);
            if (!byId.TryGetValue(entry.Id, out var found))
            {
                changes.Add(new(entry.Id, ScheduleSyncAction.Create, $"fingerprint {fingerprint}"));
            }
            else if (found.Fingerprint == fingerprint)
            {
                changes.Add(new(entry.Id, ScheduleSyncAction.Unchanged, $"fingerprint {fingerprint}"));
            }
            else
            {
                changes.Add(new(entry.Id, ScheduleSyncAction.Update, $"fingerprint {found.Fingerprint ?? "none (not created by exportflows)"} → {fingerprint}"));
            }
        }
        var desiredIds = desired.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in existing.Where(e => !desiredIds.Contains(e.Id) && e.Fingerprint is not null).OrderBy(e => e.Id, StringComparer.Ordinal))
        {
            changes.Add(prune
                ? new(orphan.Id, ScheduleSyncAction.Delete, "left the catalog")
                : new(orphan.Id, ScheduleSyncAction.Unchanged, "left the catalog; --prune deletes it"));
        }
        return changes;
    }
}
