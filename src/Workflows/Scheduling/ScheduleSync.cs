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

    /// <summary>None of the entry's types is enabled: not created (an existing one is left, or deleted with --prune).</summary>
    NotEnabled,
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
        // Fields added later join the hash only when set, so an entry that does not use them keeps its fingerprint.
        var extra = new SortedDictionary<string, object>(StringComparer.Ordinal);
        if (entry.MinuteStep > 0)
        {
            extra["minuteStep"] = entry.MinuteStep;
        }
        if (entry.DaysOfWeek is { } days)
        {
            extra["daysOfWeek"] = days.Select(d => (int)d).Order().ToArray();
        }
        if (entry.DaysOfMonth is { } dates)
        {
            extra["daysOfMonth"] = dates.Order().ToArray();
        }
        if (entry.UpdateLatest is { } updateLatest)
        {
            extra["updateLatest"] = updateLatest;
        }
        if (entry.Options is { Count: > 0 } options)
        {
            // Before options were general, min_games was the only one and hashed under this name.
            foreach (var (name, value) in options)
            {
                extra[name == "min_games" ? "minGames" : "option:" + name] = value;
            }
        }
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
        }) + (extra.Count == 0 ? "" : JsonSerializer.Serialize(extra));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
    }

    /// <summary>How an action is printed: create, update, unchanged, delete, not-enabled.</summary>
    public static string ActionName(ScheduleSyncAction action) => action == ScheduleSyncAction.NotEnabled ? "not-enabled" : action.ToString().ToLowerInvariant();

    /// <summary>Whether sync changes something on the server for it.</summary>
    public static bool IsChange(ScheduleSyncAction action) => action is ScheduleSyncAction.Create or ScheduleSyncAction.Update or ScheduleSyncAction.Delete;

    public static IReadOnlyList<ScheduleSyncChange> Diff(IReadOnlyList<ExportScheduleEntry> desired, string taskQueue, IReadOnlyList<ExistingSchedule> existing, bool prune)
    {
        var byId = existing.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var changes = new List<ScheduleSyncChange>();
        foreach (var entry in desired.Where(e => e.NotEnabled))
        {
            var types = string.Join(", ", entry.Types);
            changes.Add(byId.TryGetValue(entry.Id, out var found) && found.Fingerprint is not null
                ? prune
                    ? new(entry.Id, ScheduleSyncAction.Delete, $"none of its types ({types}) is enabled")
                    : new(entry.Id, ScheduleSyncAction.NotEnabled, $"none of its types ({types}) is enabled; it exists, --prune deletes it")
                : new(entry.Id, ScheduleSyncAction.NotEnabled, $"none of its types ({types}) is enabled (ExportFlows__EnabledTypes): not created"));
        }
        foreach (var entry in desired.Where(e => !e.NotEnabled))
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
