using System.Text.RegularExpressions;
using Tomlyn.Model;

namespace ExportFlows.Workflows.Catalog;

/// <summary>
/// Reads <c>[events.NAME]</c>: each event's path, verb, date rule, typed fields and what it runs, with every check
/// (unknown rows or groups, a condition on a field the event does not provide, two events on one path or verb).
/// </summary>
internal static partial class CatalogEventParser
{
    private static readonly string[] Keys = ["path", "verb", "date", "fields", "runs", "runs_from", "runs_orchestrator", "sport", "flag", "note"];

    public static IReadOnlyList<CatalogEvent> Read(CatalogTomlReader r, TomlTable root, IReadOnlyList<ExportTypeRow> types,
        IReadOnlySet<string> declared, IReadOnlyDictionary<string, IReadOnlyList<string>> groups)
    {
        var events = new List<CatalogEvent>();
        if (r.Table(root, "events", "") is not { } table)
        {
            return events;
        }
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        var verbs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in table)
        {
            var path = $"events.{name}";
            if (value is not TomlTable e)
            {
                r.Error(table, name, path, "expected a table [events.NAME]");
                continue;
            }
            if (!ExportCatalogParser.TypeNamePattern().IsMatch(name))
            {
                r.Error(table, name, path, "an event name is lowercase words joined by '-' (e.g. grading-complete)");
            }
            var parsed = Read(r, e, path, types, declared, groups);
            if (parsed is null)
            {
                continue;
            }
            if (paths.TryGetValue(parsed.Path, out var first))
            {
                r.Error(e, "path", path + ".path", $"'{parsed.Path}' is also the path of event {first}: one push path starts one event");
            }
            else if (verbs.TryGetValue(parsed.Verb, out var other))
            {
                r.Error(e, "verb", path + ".verb", $"'{parsed.Verb}' is also the verb of event {other}: one trigger verb starts one event");
            }
            else
            {
                paths[parsed.Path] = name;
                verbs[parsed.Verb] = name;
                events.Add(parsed);
            }
        }
        return events;
    }

    private static CatalogEvent? Read(CatalogTomlReader r, TomlTable e, string path, IReadOnlyList<ExportTypeRow> types,
        IReadOnlySet<string> declared, IReadOnlyDictionary<string, IReadOnlyList<string>> groups)
    {
        var before = r.Errors.Count;
        r.OnlyKeys(e, path, Keys);
        var pushPath = r.String(e, "path", path, required: true);
        if (pushPath is not null && !PushPathPattern().IsMatch(pushPath))
        {
            r.Error(e, "path", path + ".path", $"'{pushPath}' is not a push path: write /pubsub/ and lowercase words joined by '-' (e.g. /pubsub/export-request)");
        }
        var verb = r.String(e, "verb", path, required: true);
        if (verb is not null && !ExportCatalogParser.TypeNamePattern().IsMatch(verb))
        {
            r.Error(e, "verb", path + ".verb", $"'{verb}' is not a trigger verb: lowercase words joined by '-' (e.g. export-request)");
        }
        var date = ReadDate(r, e, path);
        var runsFrom = r.String(e, "runs_from", path);
        if (runsFrom is not null && !FieldPattern().IsMatch(runsFrom))
        {
            r.Error(e, "runs_from", path + ".runs_from", $"'{runsFrom}' is not a message field's name (snake_case, e.g. export_types)");
        }
        var sport = r.String(e, "sport", path);
        var flag = ReadFlag(r, e, path, types, declared, groups);
        var reserved = new List<(string? Field, string What)>();
        reserved.AddRange((date?.Fields ?? []).Select(f => ((string?)f, "the date")));
        reserved.Add((runsFrom, "the list of types"));
        reserved.Add((sport is null ? null : CatalogEvent.SportField, "the sport"));
        reserved.Add((flag?.Field, "the flag"));
        var fields = ReadFields(r, e, path, reserved);
        var runs = ReadRuns(r, e, path, declared, groups, fields);
        var orchestrator = r.Bool(e, "runs_orchestrator", path);
        var ways = (e.ContainsKey("runs") ? 1 : 0) + (runsFrom is not null ? 1 : 0) + (orchestrator ? 1 : 0);
        if (ways != 1)
        {
            r.Missing(e, path + ".runs", ways == 0
                ? "missing: say what the event runs: runs = [rows or groups], runs_from = \"FIELD\" (the types the message lists) or runs_orchestrator = true"
                : "give one of runs, runs_from and runs_orchestrator");
        }
        var note = r.String(e, "note", path) ?? "";
        return r.Errors.Count > before || pushPath is null || verb is null || date is null
            ? null
            : new CatalogEvent(path["events.".Length..], pushPath, verb, date)
            {
                Fields = fields,
                Runs = runs,
                RunsFrom = runsFrom,
                RunsOrchestrator = orchestrator,
                Sport = sport,
                Flag = flag,
                Note = note,
            };
    }

    private static EventDate? ReadDate(CatalogTomlReader r, TomlTable e, string path)
    {
        var datePath = path + ".date";
        if (r.Table(e, "date", path, required: true) is not { } table)
        {
            return null;
        }
        r.OnlyKeys(table, datePath, "fields", "default");
        var fields = r.Strings(table, "fields", datePath, required: true);
        if (fields is { Count: 0 })
        {
            r.Error(table, "fields", datePath + ".fields", "name at least one field, in order of preference (e.g. [\"target_date\", \"graded_date\"])");
            return null;
        }
        if (fields?.FirstOrDefault(f => !FieldPattern().IsMatch(f)) is { } bad)
        {
            r.Error(table, "fields", datePath + ".fields", $"'{bad}' is not a message field's name (snake_case)");
            return null;
        }
        var fallback = r.String(table, "default", datePath);
        if (fallback is not null and not "today" and not "yesterday")
        {
            r.Error(table, "default", datePath + ".default", $"'{fallback}' is not a date word: write \"today\" or \"yesterday\" (America/New_York, when the message is read)");
            return null;
        }
        return fields is null ? null : new EventDate(fields, fallback);
    }

    private static IReadOnlyDictionary<string, EventField> ReadFields(CatalogTomlReader r, TomlTable e, string path,
        IReadOnlyList<(string? Field, string What)> reserved)
    {
        var fields = new Dictionary<string, EventField>(StringComparer.Ordinal);
        if (r.Table(e, "fields", path) is not { } table)
        {
            return fields;
        }
        foreach (var (name, value) in table)
        {
            var fieldPath = $"{path}.fields.{name}";
            if (!FieldPattern().IsMatch(name))
            {
                r.Error(table, name, fieldPath, "a field's name is snake_case, as the message writes it (e.g. graded_count)");
                continue;
            }
            if (reserved.FirstOrDefault(p => p.Field == name) is { Field: not null } taken)
            {
                r.Error(table, name, fieldPath, $"'{name}' is {taken.What} of this event already: leave it out of fields");
                continue;
            }
            var (typeName, fallback) = value switch
            {
                string s => (s, null),
                TomlTable t => ReadFieldTable(r, table, name, fieldPath, t),
                _ => (null, null),
            };
            EventFieldType? type = typeName switch
            {
                "string" => EventFieldType.String,
                "integer" => EventFieldType.Integer,
                "number" => EventFieldType.Number,
                "bool" => EventFieldType.Bool,
                _ => null,
            };
            if (type is null)
            {
                r.Error(table, name, fieldPath, "expected a type: \"string\", \"integer\", \"number\" or \"bool\" (or { type = …, default = … })");
                continue;
            }
            if (fallback is not null && !Fits(type.Value, fallback))
            {
                r.Error(table, name, fieldPath + ".default", $"the default is not a {EventField.TypeName(type.Value)}");
                continue;
            }
            fields[name] = new EventField(type.Value, fallback is null ? null : CatalogTomlReader.ToJson(fallback));
        }
        return fields;
    }

    private static (string?, object?) ReadFieldTable(CatalogTomlReader r, TomlTable parent, string name, string path, TomlTable t)
    {
        r.OnlyKeys(t, path, "type", "default");
        if (!t.ContainsKey("default"))
        {
            r.Error(parent, name, path + ".default", "missing: a field written as a table gives a default (else write the type alone)");
        }
        return (t.TryGetValue("type", out var type) ? type as string : null, t.TryGetValue("default", out var d) ? d : null);
    }

    private static IReadOnlyList<EventRun> ReadRuns(CatalogTomlReader r, TomlTable e, string path, IReadOnlySet<string> declared,
        IReadOnlyDictionary<string, IReadOnlyList<string>> groups, IReadOnlyDictionary<string, EventField> fields)
    {
        var runsPath = path + ".runs";
        if (r.Array(e, "runs", path) is not { } array)
        {
            return [];
        }
        if (array.Count == 0)
        {
            r.Error(e, "runs", runsPath, "name at least one row or group");
        }
        var runs = new List<EventRun>();
        foreach (var item in array)
        {
            string? name;
            IReadOnlyList<EventCondition> when = [];
            IReadOnlyList<string> after = [];
            if (item is TomlTable entry)
            {
                foreach (var key in entry.Keys.Where(k => k is not "row" and not "when" and not "after"))
                {
                    r.Error(e, "runs", runsPath, $"unknown key '{key}' in a run entry; expected row, when, after");
                }
                name = entry.TryGetValue("row", out var row) ? row as string : null;
                if (entry.ContainsKey("when"))
                {
                    when = ReadConditions(r, e, runsPath, name, entry["when"], fields);
                }
                after = ReadAfter(r, e, runsPath, name, entry.TryGetValue("after", out var a) ? a : null, runs);
            }
            else
            {
                name = item as string;
            }
            if (string.IsNullOrWhiteSpace(name))
            {
                r.Error(e, "runs", runsPath, "each entry is a row or group's name, or { row = \"NAME\", when = [conditions] }");
                continue;
            }
            if (!declared.Contains(name) && !groups.ContainsKey(name))
            {
                r.Error(e, "runs", runsPath, $"names unknown row or group '{name}'");
                continue;
            }
            if (runs.Any(run => run.Name == name))
            {
                r.Error(e, "runs", runsPath, $"names '{name}' twice");
                continue;
            }
            runs.Add(new EventRun(name, when) { After = after });
        }
        return runs;
    }

    /// <summary>An entry's <c>after</c>: entries of the same event listed before it (so the order reads top to bottom and has no cycle).</summary>
    private static IReadOnlyList<string> ReadAfter(CatalogTomlReader r, TomlTable e, string runsPath, string? row, object? value, IReadOnlyList<EventRun> earlier)
    {
        if (value is null)
        {
            return [];
        }
        var where = $"{runsPath} ({row ?? "?"}).after";
        if (value is not TomlArray array || array.Count == 0 || array.Any(n => n is not string))
        {
            r.Error(e, "runs", where, "expected a non-empty array of entries of this event listed before it, e.g. after = [\"backfill-signal-best-bets\"]");
            return [];
        }
        var names = array.Cast<string>().Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in names.Where(n => earlier.All(run => run.Name != n)))
        {
            r.Error(e, "runs", where, $"'{name}' is no entry listed before {row ?? "this one"} in this event's runs: an entry waits only for entries above it");
        }
        return names;
    }

    private static IReadOnlyList<EventCondition> ReadConditions(CatalogTomlReader r, TomlTable e, string runsPath, string? row, object? value,
        IReadOnlyDictionary<string, EventField> fields)
    {
        var where = $"{runsPath} ({row ?? "?"}).when";
        if (value is not TomlArray array || array.Count == 0 || array.Any(c => c is not TomlTable))
        {
            r.Error(e, "runs", where, "expected a non-empty array of conditions: [{ field = \"status\", equals = \"success\" }, { field = \"graded_count\", above = 0 }]");
            return [];
        }
        var conditions = new List<EventCondition>();
        foreach (var c in array.Cast<TomlTable>())
        {
            var field = c.TryGetValue("field", out var f) ? f as string : null;
            var operators = c.Keys.Where(k => k != "field").ToList();
            if (field is null || operators.Count != 1 || operators[0] is not ("equals" or "above" or "in"))
            {
                r.Error(e, "runs", where, "a condition is { field = \"NAME\" } with one of equals, above, in");
                continue;
            }
            if (!fields.TryGetValue(field, out var declared))
            {
                r.Error(e, "runs", where, $"a condition on '{field}', which the event does not provide: add it to fields (provided: {string.Join(", ", fields.Keys.DefaultIfEmpty("none"))})");
                continue;
            }
            var op = operators[0];
            var operand = c[op];
            var type = EventField.TypeName(declared.Type);
            switch (op)
            {
                case "equals" when Fits(declared.Type, operand):
                    conditions.Add(new(field, EventConditionOperator.Equals, [CatalogTomlReader.ToJson(operand)]));
                    break;
                case "above" when declared.Type is EventFieldType.Integer or EventFieldType.Number && operand is long or double:
                    conditions.Add(new(field, EventConditionOperator.Above, [CatalogTomlReader.ToJson(operand)]));
                    break;
                case "in" when operand is TomlArray { Count: > 0 } options && options.All(o => Fits(declared.Type, o)):
                    conditions.Add(new(field, EventConditionOperator.In, options.Select(CatalogTomlReader.ToJson).ToList()));
                    break;
                case "above":
                    r.Error(e, "runs", where, $"'{field}' is a {type}: above compares integer or number fields with a number");
                    break;
                default:
                    r.Error(e, "runs", where, $"'{field}' is a {type}: {op} needs {(op == "in" ? "a non-empty array of " + type + "s" : "a " + type)}");
                    break;
            }
        }
        return conditions;
    }

    private static EventFlag? ReadFlag(CatalogTomlReader r, TomlTable e, string path, IReadOnlyList<ExportTypeRow> types,
        IReadOnlySet<string> declared, IReadOnlyDictionary<string, IReadOnlyList<string>> groups)
    {
        var flagPath = path + ".flag";
        if (r.Table(e, "flag", path) is not { } table)
        {
            return null;
        }
        r.OnlyKeys(table, flagPath, "field", "runs", "options");
        var field = r.String(table, "field", flagPath, required: true);
        var runs = r.Strings(table, "runs", flagPath, required: true) ?? [];
        var options = r.Strings(table, "options", flagPath) ?? [];
        var rows = new List<ExportTypeRow>();
        foreach (var name in runs)
        {
            if (!declared.Contains(name) && !groups.ContainsKey(name))
            {
                r.Error(table, "runs", flagPath + ".runs", $"names unknown row or group '{name}'");
                continue;
            }
            IEnumerable<string> members = groups.TryGetValue(name, out var g) ? g : [name];
            rows.AddRange(members.Select(m => types.FirstOrDefault(t => t.Name == m)).OfType<ExportTypeRow>());
        }
        foreach (var option in options.Where(o => ExportOption.Find(rows, o) is null))
        {
            r.Error(table, "options", flagPath + ".options", $"'{option}' is an option of none of the flag's rows ({string.Join(", ", runs)})");
        }
        if (runs.Count == 0 && table.ContainsKey("runs"))
        {
            r.Error(table, "runs", flagPath + ".runs", "name at least one row or group");
        }
        return field is null || runs.Count == 0 ? null : new EventFlag(field, runs, options);
    }

    private static bool Fits(EventFieldType type, object? value) => type switch
    {
        EventFieldType.String => value is string,
        EventFieldType.Integer => value is long,
        EventFieldType.Number => value is long or double,
        _ => value is bool,
    };

    [GeneratedRegex("^/pubsub/[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex PushPathPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    internal static partial Regex FieldPattern();
}
