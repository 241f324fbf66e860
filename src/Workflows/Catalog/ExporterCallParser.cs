using System.Text.RegularExpressions;
using Tomlyn.Model;

namespace ExportFlows.Workflows.Catalog;

/// <summary>
/// Reads a row's <c>call</c>: a method of a class (<c>class</c>, <c>method</c>, <c>constructor</c>) or a module-level
/// <c>function</c>. An argument in <c>args</c>/<c>kwargs</c> that is a string names a request value (or an option of the
/// type); <c>{ const = … }</c> or any other plain value is a constant; <c>{ value = "row.name" }</c> a value another
/// row produced; <c>{ run = "started_at" | "workflow_id" }</c> a value of the run; <c>{ call = "module.function" }</c>
/// the result of a no-argument function of the original. Constructor arguments are constants.
/// </summary>
internal static partial class ExporterCallParser
{
    public static ExporterCall? Read(CatalogTomlReader r, TomlTable row, string path, IReadOnlySet<string> options)
    {
        if (r.Table(row, "call", path[..path.LastIndexOf('.')]) is not { } call)
        {
            return null;
        }
        r.OnlyKeys(call, path, "module", "class", "method", "function", "constructor", "args", "kwargs");
        var module = r.String(call, "module", path, required: true);
        var function = r.String(call, "function", path);
        string? cls = null, method = null;
        if (function is null)
        {
            cls = r.String(call, "class", path, required: true);
            method = r.String(call, "method", path, required: true);
        }
        else if (call.ContainsKey("class") || call.ContainsKey("method") || call.ContainsKey("constructor"))
        {
            r.Error(call, "function", path + ".function", "a call is either a module-level function or class + method, not both: remove function, or class, method and constructor");
        }
        if (module is not null && !ModulePattern().IsMatch(module))
        {
            r.Error(call, "module", path + ".module", $"'{module}' is not a Python module path (dotted identifiers)");
        }
        foreach (var (key, value) in new[] { ("class", cls), ("method", method), ("function", function) })
        {
            if (value is not null && !IdentifierPattern().IsMatch(value))
            {
                r.Error(call, key, $"{path}.{key}", $"'{value}' is not a Python identifier");
            }
        }
        var constructor = new Dictionary<string, ExporterArgument>(StringComparer.Ordinal);
        foreach (var (name, value) in r.Table(call, "constructor", path) ?? [])
        {
            constructor[name] = new ExporterArgument(null, CatalogTomlReader.ToJson(Unwrap(value)));
        }
        var args = new List<ExporterArgument>();
        foreach (var value in r.Array(call, "args", path) ?? [])
        {
            args.Add(Argument(r, call, "args", path + ".args", value, options));
        }
        var kwargs = new Dictionary<string, ExporterArgument>(StringComparer.Ordinal);
        var kwargTable = r.Table(call, "kwargs", path);
        foreach (var (name, value) in kwargTable ?? [])
        {
            if (!IdentifierPattern().IsMatch(name))
            {
                r.Error(kwargTable!, name, $"{path}.kwargs.{name}", "is not a Python parameter name");
            }
            kwargs[name] = Argument(r, kwargTable!, name, $"{path}.kwargs.{name}", value, options);
        }
        if (module is null || (function is null && (cls is null || method is null)))
        {
            return null;
        }
        return new ExporterCall(module, cls ?? "", method ?? "", constructor, args, kwargs) { Function = function };
    }

    private static ExporterArgument Argument(CatalogTomlReader r, TomlTable table, string key, string path, object? value, IReadOnlySet<string> options)
    {
        if (value is string name)
        {
            if (!ExporterCall.RequestValues.Contains(name) && !options.Contains(name))
            {
                r.Error(table, key, path, $"'{name}' is no request value: use one of {string.Join(", ", ExporterCall.RequestValues.Concat(options))}, or {{ const = \"{name}\" }} for a constant string");
            }
            return new ExporterArgument(name, null);
        }
        if (value is not TomlTable form)
        {
            return new ExporterArgument(null, CatalogTomlReader.ToJson(value));
        }
        if (form.ContainsKey("value"))
        {
            return ProducedArgument(r, table, key, path, form, options);
        }
        if (form.ContainsKey("run"))
        {
            r.OnlyKeys(form, path, "run", "format");
            var run = r.String(form, "run", path);
            if (run is not null && !ExporterArgument.RunValues.Contains(run))
            {
                r.Error(form, "run", path + ".run", $"'{run}' is no run value: write \"{ExporterArgument.StartedAt}\" (the run's start time) or \"{ExporterArgument.WorkflowId}\"");
            }
            var format = r.String(form, "format", path);
            if (format is not null && run is not null && ExporterArgument.RunValues.Contains(run) && run != ExporterArgument.StartedAt)
            {
                r.Error(form, "format", path + ".format", $"only {ExporterArgument.StartedAt} takes a format");
            }
            return new ExporterArgument(null, null) { Run = run, RunFormat = format };
        }
        if (form.ContainsKey("call"))
        {
            r.OnlyKeys(form, path, "call");
            var function = r.String(form, "call", path);
            if (function is not null && (!ModulePattern().IsMatch(function) || !function.Contains('.', StringComparison.Ordinal)))
            {
                r.Error(form, "call", path + ".call", $"'{function}' is not module.function (a dotted path ending in the function's name)");
            }
            return new ExporterArgument(null, null) { CallOf = function };
        }
        if (form.Count != 1 || !form.ContainsKey("const"))
        {
            r.Error(table, key, path, "an argument table is { const = … }, { value = \"row.name\" }, { run = \"started_at\" } or { call = \"module.function\" }");
        }
        return new ExporterArgument(null, CatalogTomlReader.ToJson(Unwrap(value)));
    }

    private static ExporterArgument ProducedArgument(CatalogTomlReader r, TomlTable table, string key, string path, TomlTable form, IReadOnlySet<string> options)
    {
        r.OnlyKeys(form, path, "value", "default", "optional", "construct");
        var reference = r.String(form, "value", path);
        var dot = reference?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (reference is not null && (dot <= 0 || dot == reference.Length - 1 || !ValueNamePattern().IsMatch(reference[(dot + 1)..])))
        {
            r.Error(form, "value", path + ".value", $"'{reference}' is not row.value (e.g. \"materialize-subsets.version_id\")");
            reference = null;
        }
        var fallback = form.TryGetValue("default", out var raw) ? Argument(r, form, "default", path + ".default", raw, options) : null;
        if (fallback?.Produced is not null)
        {
            r.Error(form, "default", path + ".default", "a default is a constant, a request value or a run value, not another row's value");
        }
        var optional = r.Bool(form, "optional", path);
        if (optional && fallback is not null)
        {
            r.Error(form, "optional", path + ".optional", "give a default or optional = true, not both");
        }
        var construct = r.String(form, "construct", path);
        if (construct is not null && (!ModulePattern().IsMatch(construct) || !construct.Contains('.', StringComparison.Ordinal)))
        {
            r.Error(form, "construct", path + ".construct", $"'{construct}' is not module.ClassName");
        }
        var produced = reference is null ? null
            : new ProducedValue(reference[..dot], reference[(dot + 1)..]) { Default = fallback, Optional = optional, Construct = construct };
        return new ExporterArgument(null, null) { Produced = produced };
    }

    private static object? Unwrap(object? value) => value is TomlTable t && t.Count == 1 && t.TryGetValue("const", out var inner) ? inner : value;

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex ModulePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    internal static partial Regex ValueNamePattern();
}
