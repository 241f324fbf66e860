using System.Text.RegularExpressions;
using ExportFlows.Workflows.Planning;
using Tomlyn.Model;

namespace ExportFlows.Workflows.Catalog;

/// <summary>Reads one <c>[types.NAME]</c> row.</summary>
internal static partial class ExportTypeRowParser
{
    private static readonly string[] Keys =
        [
            "kind", "date", "objects", "activity", "task_queue", "policy", "preflight", "implementation", "call", "options", "skip_when_inputs_unchanged",
            "step", "after", "requires", "replaces", "values",
        ];

    public static ExportTypeRow? Read(CatalogTomlReader r, TomlTable types, string name, TomlTable row,
        IReadOnlyDictionary<string, ExportActivityPolicy?> policies, IReadOnlySet<string>? implementations)
    {
        var path = $"types.{name}";
        if (!ExportCatalogParser.TypeNamePattern().IsMatch(name))
        {
            r.Error(types, name, path, "a type name is lowercase words joined by '-' (e.g. best-bets-record)");
        }
        r.OnlyKeys(row, path, Keys);
        var kind = r.String(row, "kind", path, required: true) switch
        {
            "native" => ExporterKind.Native,
            "external" => ExporterKind.External,
            null => (ExporterKind?)null,
            var other => Invalid<ExporterKind?>(r, row, "kind", path, $"'{other}' is not a kind: write \"native\" or \"external\""),
        };
        var date = r.String(row, "date", path, required: true) switch
        {
            "target" => ExportDateKind.TargetDate,
            "as-of" => ExportDateKind.AsOfDate,
            "none" => ExportDateKind.None,
            null => (ExportDateKind?)null,
            var other => Invalid<ExportDateKind?>(r, row, "date", path, $"'{other}' is not a date kind: write \"target\", \"as-of\" or \"none\""),
        };
        var step = r.Bool(row, "step", path);
        var objects = step ? StepObjects(r, row, path) : ReadObjects(r, row, name, path);
        // A named policy that is declared but broken was reported where it is written.
        var policy = row.TryGetValue("policy", out var policyValue) && policyValue is string policyName
            ? policies.TryGetValue(policyName, out var named) ? named : Invalid<ExportActivityPolicy>(r, row, "policy", path,
                $"names no policy '{policyName}': define [policies.{policyName}] or write the policy table here")
            : row.ContainsKey("policy") ? ExportCatalogParser.ReadPolicy(r, row, "policy", path + ".policy", policyValue)
            : Missing<ExportActivityPolicy>(r, row, "policy", path, "missing: name a [policies.NAME] (policy = \"one-document\") or write [" + path + ".policy]");
        var activity = r.String(row, "activity", path) ?? ExportCatalogParser.DefaultActivity(name);
        if (!ActivityPattern().IsMatch(activity))
        {
            r.Error(row, "activity", path + ".activity", $"'{activity}' is not an activity name (letters and digits, starting with a capital)");
        }
        var implementation = r.String(row, "implementation", path);
        var options = ReadOptions(r, row, path);
        var call = row.ContainsKey("call") ? ExporterCallParser.Read(r, row, path + ".call", options.Keys.ToHashSet()) : null;
        if (kind == ExporterKind.Native && implementation is null)
        {
            r.Error(row, "kind", path + ".implementation", "missing: a native row names its C# exporter: add implementation = \"…\"");
        }
        else if (kind == ExporterKind.Native && implementations is not null && !implementations.Contains(implementation!))
        {
            r.Error(row, "implementation", path + ".implementation",
                $"no native exporter '{implementation}' is registered in this build (registered: {string.Join(", ", implementations.Order())}); set kind = \"external\" to run it on the external worker");
        }
        if (kind == ExporterKind.External && call is null && !row.ContainsKey("call"))
        {
            r.Error(row, "kind", path + ".call", "missing: an external row says how the original calls it: add call = { module, class, method, args, kwargs }");
        }
        var taskQueue = r.String(row, "task_queue", path);
        var preflight = r.Bool(row, "preflight", path);
        var skip = r.Bool(row, "skip_when_inputs_unchanged", path);
        if (skip && (step || objects?.Any(o => o.Kind != ExportObjectKind.Fixed) == true))
        {
            r.Error(row, "skip_when_inputs_unchanged", path + ".skip_when_inputs_unchanged", "only a type with fixed-path objects can be skipped while its inputs are unchanged");
        }
        return kind is null || date is null || objects is null || policy is null
            ? null
            : new ExportTypeRow(name, kind.Value, date.Value, objects, activity, policy)
            {
                TaskQueue = taskQueue,
                Implementation = implementation,
                Preflight = preflight,
                SkipWhenInputsUnchanged = skip,
                Call = call,
                Options = options,
                IsStep = step,
                After = Names(r, row, "after", path),
                Requires = Names(r, row, "requires", path),
                Replaces = Names(r, row, "replaces", path),
                Values = ReadValues(r, row, path),
            };
    }

    private static IReadOnlyList<ExportObjectSpec>? StepObjects(CatalogTomlReader r, TomlTable row, string path)
    {
        if (r.Array(row, "objects", path) is { Count: > 0 })
        {
            r.Error(row, "objects", path + ".objects", "a step writes no document: remove objects, or remove step = true");
            return null;
        }
        return [];
    }

    private static IReadOnlyList<string> Names(CatalogTomlReader r, TomlTable row, string key, string path)
    {
        var names = r.Strings(row, key, path) ?? [];
        if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            r.Error(row, key, CatalogTomlReader.Join(path, key), $"names '{twice.Key}' twice");
        }
        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IReadOnlyDictionary<string, string> ReadValues(CatalogTomlReader r, TomlTable row, string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.Table(row, "values", path) is not { } table)
        {
            return values;
        }
        foreach (var name in table.Keys)
        {
            var valuePath = $"{path}.values.{name}";
            if (!ExporterCallParser.ValueNamePattern().IsMatch(name))
            {
                r.Error(table, name, valuePath, "a value name is snake_case (e.g. version_id)");
                continue;
            }
            if (r.String(table, name, path + ".values") is not { } source)
            {
                continue;
            }
            if (!ValuePathPattern().IsMatch(source))
            {
                r.Error(table, name, valuePath, $"'{source}' is not a path into the call's return: write \"result\" or \"result.key\" (e.g. \"result.version_id\")");
                continue;
            }
            values[name] = source;
        }
        return values;
    }

    private static IReadOnlyList<ExportObjectSpec>? ReadObjects(CatalogTomlReader r, TomlTable row, string name, string path)
    {
        var array = r.Array(row, "objects", path, required: true);
        if (array is null)
        {
            return null;
        }
        var objects = new List<(string Path, string CacheControl)>();
        foreach (var item in array)
        {
            if (item is not TomlTable entry)
            {
                r.Error(row, "objects", path + ".objects", "each object is { path = \"v1/…\", cache_control = \"…\" }");
                return null;
            }
            r.OnlyKeys(entry, path + ".objects", "path", "cache_control");
            var objectPath = r.String(entry, "path", path + ".objects", required: true);
            var cache = r.String(entry, "cache_control", path + ".objects", required: true);
            if (objectPath is not null && ObjectPathProblem(objectPath) is { } problem)
            {
                r.Error(entry, "path", path + ".objects.path", $"'{objectPath}' {problem}");
            }
            else if (objectPath is not null && cache is not null)
            {
                objects.Add((objectPath, cache));
            }
        }
        if (array.Count == 0)
        {
            r.Error(row, "objects", path + ".objects", "a type writes at least one object");
            return null;
        }
        if (objects.GroupBy(o => o.Path).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            r.Error(row, "objects", path + ".objects", $"'{twice.Key}' is listed twice");
        }
        return objects.Count == array.Count ? ExportObjectSpec.From(name, objects) : null;
    }

    /// <summary>Why a catalog object path is not usable, or null.</summary>
    public static string? ObjectPathProblem(string path)
    {
        if (!path.StartsWith("v1/", StringComparison.Ordinal))
        {
            return "is outside v1/: every published object's path starts with v1/";
        }
        var segments = path.TrimEnd('/').Split('/');
        if (segments.Any(s => s is "" or "." or ".."))
        {
            return "has an empty, '.' or '..' segment";
        }
        if (!path.EndsWith(".json", StringComparison.Ordinal) && !path.EndsWith('/'))
        {
            return "ends in .json (or '/' for a per-player folder)";
        }
        return segments.All(s => SegmentPattern().IsMatch(s)) ? null : "may hold only letters, digits, '.', '_', '-', '/' and {date}";
    }

    private static IReadOnlyDictionary<string, ExportOption> ReadOptions(CatalogTomlReader r, TomlTable row, string path)
    {
        var options = new Dictionary<string, ExportOption>(StringComparer.Ordinal);
        if (r.Table(row, "options", path) is not { } table)
        {
            return options;
        }
        foreach (var (name, value) in table)
        {
            var optionPath = $"{path}.options.{name}";
            if (ExporterCall.RequestValues.Contains(name) || !OptionNamePattern().IsMatch(name))
            {
                r.Error(table, name, optionPath, "an option name is snake_case and not a request value (target_date, update_latest, …)");
                continue;
            }
            if (value is not TomlTable rule)
            {
                r.Error(table, name, optionPath, "expected { default = N, minimum = N, maximum = N }");
                continue;
            }
            r.OnlyKeys(rule, optionPath, "default", "minimum", "maximum");
            var min = r.Integer(rule, "minimum", optionPath, required: true);
            var max = r.Integer(rule, "maximum", optionPath, required: true);
            var fallback = r.Integer(rule, "default", optionPath, required: true);
            if (min is { } lo && max is { } hi && fallback is { } d)
            {
                if (lo > hi || d < lo || d > hi)
                {
                    r.Error(table, name, optionPath, "needs minimum ≤ default ≤ maximum");
                    continue;
                }
                options[name] = new ExportOption(d, lo, hi);
            }
        }
        return options;
    }

    private static T? Invalid<T>(CatalogTomlReader r, TomlTable row, string key, string path, string message)
    {
        r.Error(row, key, CatalogTomlReader.Join(path, key), message);
        return default;
    }

    /// <summary>A missing key is reported at the row's first line, like every other missing key.</summary>
    private static T? Missing<T>(CatalogTomlReader r, TomlTable row, string key, string path, string message)
    {
        r.Missing(row, CatalogTomlReader.Join(path, key), message);
        return default;
    }

    [GeneratedRegex(@"^result(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex ValuePathPattern();

    [GeneratedRegex(@"^(?:[A-Za-z0-9._-]|\{date\})+$")]
    private static partial Regex SegmentPattern();

    [GeneratedRegex("^[A-Z][A-Za-z0-9]*$")]
    private static partial Regex ActivityPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex OptionNamePattern();
}
