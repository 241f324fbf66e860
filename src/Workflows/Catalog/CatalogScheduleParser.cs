using ExportFlows.Workflows.Scheduling;
using Tomlyn.Model;

namespace ExportFlows.Workflows.Catalog;

/// <summary>Reads <c>[schedules.ID]</c>: a calendar in America/New_York, the types, the date words, options and overlap rules.</summary>
internal static class CatalogScheduleParser
{
    private static readonly string[] DayNames = Enum.GetNames<DayOfWeek>().Select(d => d.ToLowerInvariant()).ToArray();

    /// <param name="declared">Every type name of the file, also those whose row has errors (reported there, not again here).</param>
    public static IReadOnlyList<ExportScheduleEntry> Read(CatalogTomlReader r, TomlTable root, IReadOnlyList<ExportTypeRow> types,
        IReadOnlySet<string> declared, IReadOnlyDictionary<string, IReadOnlyList<string>> groups)
    {
        var entries = new List<ExportScheduleEntry>();
        var table = r.Table(root, "schedules", "") ?? [];
        foreach (var (id, value) in table)
        {
            var path = $"schedules.{id}";
            if (value is not TomlTable schedule)
            {
                r.Error(table, id, path, "expected a table [schedules.ID]");
                continue;
            }
            if (Read(r, table, id, path, schedule, types, declared, groups) is { } entry)
            {
                entries.Add(entry);
            }
        }
        return entries;
    }

    private static ExportScheduleEntry? Read(CatalogTomlReader r, TomlTable table, string id, string path, TomlTable s,
        IReadOnlyList<ExportTypeRow> types, IReadOnlySet<string> declared, IReadOnlyDictionary<string, IReadOnlyList<string>> groups)
    {
        if (!IdPattern(id))
        {
            r.Error(table, id, path, "a schedule id is lowercase letters, digits and '-' (it becomes the Temporal Schedule id)");
        }
        r.OnlyKeys(s, path, "calendar", "types", "date", "as_of", "update_latest", "options", "overlap", "catchup_window", "note");
        var calendarPath = path + ".calendar";
        var calendar = r.Table(s, "calendar", path, required: true);
        if (calendar is not null)
        {
            r.OnlyKeys(calendar, calendarPath, "hours", "minute", "minute_step", "days_of_week", "days_of_month");
        }
        var hours = calendar is null ? null : r.Integers(calendar, "hours", calendarPath, 0, 23);
        if (calendar is not null && !calendar.ContainsKey("hours"))
        {
            r.Error(s, "calendar", calendarPath + ".hours", "missing: the hours (0–23, America/New_York) it fires at");
        }
        var minute = calendar is null ? 0 : r.Integer(calendar, "minute", calendarPath, min: 0, max: 59) ?? 0;
        var step = calendar is null ? 0 : r.Integer(calendar, "minute_step", calendarPath, min: 0, max: 59) ?? 0;
        var daysOfMonth = calendar is null ? null : r.Integers(calendar, "days_of_month", calendarPath, 1, 31);
        var daysOfWeek = calendar is null ? null : ReadDays(r, calendar, calendarPath);

        var typeNames = r.Strings(s, "types", path, required: true);
        var expanded = new List<ExportTypeRow>();
        var incomplete = false;
        foreach (var name in typeNames ?? [])
        {
            if (!declared.Contains(name) && !groups.ContainsKey(name))
            {
                r.Error(s, "types", path + ".types", $"names unknown type or group '{name}'");
                continue;
            }
            // A group's unknown members were reported by the group, a broken row where it is written.
            IEnumerable<string> members = groups.TryGetValue(name, out var g) ? g : [name];
            var rows = members.Select(m => types.FirstOrDefault(t => t.Name == m)).ToList();
            incomplete |= rows.Contains(null);
            expanded.AddRange(rows.OfType<ExportTypeRow>());
        }
        var date = DateWord(r, s, "date", path);
        var asOf = DateWord(r, s, "as_of", path);
        var options = new Dictionary<string, long>(StringComparer.Ordinal);
        var optionTable = r.Table(s, "options", path);
        foreach (var (name, _) in optionTable ?? [])
        {
            var rule = ExportOption.Find(expanded, name);
            if (rule is null && !incomplete)
            {
                r.Error(optionTable!, name, $"{path}.options.{name}", "is an option of none of the schedule's types");
            }
            else if (rule is not null && r.Integer(optionTable!, name, path + ".options", min: rule.Minimum, max: rule.Maximum) is { } v)
            {
                options[name] = v;
            }
        }
        var overlap = r.String(s, "overlap", path, required: true) switch
        {
            "skip" => ScheduleOverlap.Skip,
            "buffer-one" => ScheduleOverlap.BufferOne,
            null => (ScheduleOverlap?)null,
            var other => Unknown(r, s, path, other),
        };
        var catchup = r.Duration(s, "catchup_window", path, required: true);
        if (catchup is { } window && window < TimeSpan.FromMinutes(1))
        {
            r.Error(s, "catchup_window", path + ".catchup_window", "Temporal's smallest catch-up window is 1 minute (\"1m\")");
        }
        var note = r.String(s, "note", path) ?? "";
        return hours is null || typeNames is null || overlap is null || catchup is null
            ? null
            : new ExportScheduleEntry(id, hours.Select(h => (int)h).ToList(), (int)minute, typeNames, date, asOf, overlap.Value, catchup.Value, note)
            {
                MinuteStep = (int)step,
                DaysOfWeek = daysOfWeek,
                DaysOfMonth = daysOfMonth?.Select(d => (int)d).ToList(),
                UpdateLatest = s.ContainsKey("update_latest") ? r.Bool(s, "update_latest", path) : null,
                Options = options.Count == 0 ? null : options,
            };
    }

    private static bool IdPattern(string id) => id.Length is > 0 and <= 100 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && char.IsAsciiLetterLower(id[0]);

    private static ScheduleOverlap? Unknown(CatalogTomlReader r, TomlTable s, string path, string value)
    {
        r.Error(s, "overlap", path + ".overlap", $"'{value}' is not an overlap rule: write \"skip\" or \"buffer-one\"");
        return null;
    }

    private static string? DateWord(CatalogTomlReader r, TomlTable s, string key, string path)
    {
        // An unquoted date is a TOML date value: the same mistake as a quoted one.
        var word = s.TryGetValue(key, out var raw) && raw is Tomlyn.TomlDateTime date ? date.ToString() : r.String(s, key, path);
        if (word is not null and not "today" and not "yesterday")
        {
            r.Error(s, key, $"{path}.{key}", $"'{word}' is not a date word: a schedule resolves \"today\" or \"yesterday\" at each run (a fixed date would export the same day for ever)");
            return null;
        }
        return word;
    }

    private static IReadOnlyList<DayOfWeek>? ReadDays(CatalogTomlReader r, TomlTable calendar, string path)
    {
        if (r.Strings(calendar, "days_of_week", path) is not { } names)
        {
            return null;
        }
        var days = new List<DayOfWeek>();
        foreach (var name in names)
        {
            var index = Array.IndexOf(DayNames, name);
            if (index < 0)
            {
                r.Error(calendar, "days_of_week", path + ".days_of_week", $"'{name}' is not a day: write sunday … saturday");
                return null;
            }
            days.Add((DayOfWeek)index);
        }
        return days.Count == 0 ? null : days;
    }
}
