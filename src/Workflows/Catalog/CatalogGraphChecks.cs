using Tomlyn.Model;

namespace ExportFlows.Workflows.Catalog;

/// <summary>
/// The checks between rows: dependencies name rows and form no cycle, a value is taken only from a direct dependency
/// that declares it, and no object has two owners unless one row replaces the other.
/// </summary>
internal static class CatalogGraphChecks
{
    public static void Check(CatalogTomlReader r, TomlTable typeTable, IReadOnlyList<ExportTypeRow> rows)
    {
        var byName = rows.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var table = (TomlTable)typeTable[row.Name];
            var path = $"types.{row.Name}";
            foreach (var (key, names) in new[] { ("after", row.After), ("requires", row.Requires), ("replaces", row.Replaces) })
            {
                foreach (var name in names)
                {
                    if (name == row.Name)
                    {
                        r.Error(table, key, $"{path}.{key}", $"names the row itself ('{name}')");
                    }
                    else if (!typeTable.ContainsKey(name))
                    {
                        r.Error(table, key, $"{path}.{key}", $"names unknown row '{name}': use a [types.NAME] of this catalog (groups are not rows)");
                    }
                }
            }
            // A misspelt dependency is one mistake: its values are not reported again as taken from a non-dependency.
            if (row.DependsOn.All(typeTable.ContainsKey))
            {
                CheckValues(r, table, path, row, byName);
            }
        }
        CheckCycles(r, typeTable, byName);
        CheckOwners(r, typeTable, rows);
    }

    private static void CheckValues(CatalogTomlReader r, TomlTable table, string path, ExportTypeRow row, IReadOnlyDictionary<string, ExportTypeRow> byName)
    {
        // A default is never another row's value (the call parser refuses it), so the call's own arguments are all.
        foreach (var produced in row.TakenValues())
        {
            if (!row.DependsOn.Contains(produced.Row, StringComparer.Ordinal))
            {
                r.Error(table, "call", path + ".call", $"takes value '{produced.Row}.{produced.Name}' from a row it does not depend on: add \"{produced.Row}\" to after (or requires)");
            }
            else if (byName.TryGetValue(produced.Row, out var producer) && !producer.Values.ContainsKey(produced.Name))
            {
                r.Error(table, "call", path + ".call", $"takes value '{produced.Name}' that row '{produced.Row}' does not declare" +
                    (producer.Values.Count == 0 ? " (it declares no values)" : $" (it declares {string.Join(", ", producer.Values.Keys)})"));
            }
        }
    }

    private static void CheckCycles(CatalogTomlReader r, TomlTable typeTable, IReadOnlyDictionary<string, ExportTypeRow> byName)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in byName.Keys)
        {
            Visit(start, []);
        }

        void Visit(string name, List<string> trail)
        {
            if (done.Contains(name) || !byName.TryGetValue(name, out var row))
            {
                return;
            }
            var at = trail.IndexOf(name);
            if (at >= 0)
            {
                var cycle = trail[at..];
                if (cycle.All(reported.Add))
                {
                    var first = (TomlTable)typeTable[cycle[0]];
                    var lines = cycle.Select(n => $"{n} (line {r.LineOf((TomlTable)typeTable[n], KeyOf(byName[n]))})");
                    r.Error(first, KeyOf(row), $"types.{cycle[0]}.{KeyOf(byName[cycle[0]])}",
                        $"dependency cycle: {string.Join(" → ", lines)} → {cycle[0]}: remove one of these dependencies");
                }
                return;
            }
            trail.Add(name);
            foreach (var next in row.DependsOn.Where(n => n != name))
            {
                Visit(next, trail);
            }
            trail.RemoveAt(trail.Count - 1);
            done.Add(name);
        }
    }

    private static string KeyOf(ExportTypeRow row) => row.After.Count > 0 ? "after" : "requires";

    private static void CheckOwners(CatalogTomlReader r, TomlTable typeTable, IReadOnlyList<ExportTypeRow> rows)
    {
        var owners = rows.SelectMany(row => row.Objects.Select(o => (Row: row, o.Pattern))).GroupBy(o => o.Pattern, StringComparer.Ordinal);
        foreach (var shared in owners.Where(g => g.Count() > 1))
        {
            var list = shared.Select(o => o.Row).ToList();
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i + 1; j < list.Count; j++)
                {
                    var (a, b) = (list[i], list[j]);
                    if (a.Replaces.Contains(b.Name, StringComparer.Ordinal) || b.Replaces.Contains(a.Name, StringComparer.Ordinal))
                    {
                        continue;
                    }
                    var tableA = (TomlTable)typeTable[a.Name];
                    var tableB = (TomlTable)typeTable[b.Name];
                    r.Error(tableB, "objects", $"types.{b.Name}.objects",
                        $"'{shared.Key}' is also written by row '{a.Name}' (line {r.LineOf(tableA, "objects")}): two owners of one object overwrite each other; " +
                        $"give one its own path, or write replaces = [\"{a.Name}\"] in [types.{b.Name}] if the two are never enabled together");
                }
            }
        }
    }
}
