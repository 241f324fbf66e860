using System.Text.RegularExpressions;
using Tomlyn.Model;

namespace ExportFlows.Workflows.Catalog;

/// <summary>
/// Reads a row's <c>call</c>: a method of a class (<c>class</c>, <c>method</c>, <c>constructor</c>) or a module-level
/// <c>function</c>, optionally chained to a module-level function (<c>then</c>) called with its result when that is
/// truthy. An argument in <c>args</c>/<c>kwargs</c> that is a string names a request value (or an option of the
/// type); <c>{ const = … }</c> or any other plain value is a constant; <c>{ value = "row.name" }</c> a value another
/// row produced; <c>{ run = "started_at" | "workflow_id" }</c> a value of the run; <c>{ call = "module.function" }</c>
/// the result of a no-argument function of the original; <c>{ date = "target_date" }</c> the request value as a
/// <c>datetime.date</c>; <c>{ result = true }</c> (in <c>then</c> only) the first call's return value. Constructor
/// arguments are constants.
/// </summary>
internal static partial class ExporterCallParser
{
    private const string ArgumentForms = "{ const = … }, { value = \"row.name\" }, { run = \"started_at\" }, { call = \"module.function\" }, { date = \"target_date\" } or, in then, { result = true }";

    public static ExporterCall? Read(CatalogTomlReader r, TomlTable row, string path, IReadOnlySet<string> options)
    {
        if (r.Table(row, "call", path[..path.LastIndexOf('.')]) is not { } call)
        {
            return null;
        }
        r.OnlyKeys(call, path, "module", "class", "method", "function", "constructor", "args", "kwargs", "then");
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
        var (args, kwargs) = ReadArguments(r, call, path, options, inThen: false);
        var then = call.ContainsKey("then") ? ReadThen(r, call, path + ".then", module, options) : null;
        if (module is null || (function is null && (cls is null || method is null)) || (call.ContainsKey("then") && then is null))
        {
            return null;
        }
        return new ExporterCall(module, cls ?? "", method ?? "", constructor, args, kwargs) { Function = function, Then = then };
    }

    /// <summary><c>then = { module, function, args, kwargs }</c>: a module-level function; its module defaults to the call's.</summary>
    private static ExporterCall? ReadThen(CatalogTomlReader r, TomlTable call, string path, string? callModule, IReadOnlySet<string> options)
    {
        if (r.Table(call, "then", path[..path.LastIndexOf('.')]) is not { } then)
        {
            return null;
        }
        foreach (var key in new[] { "class", "method", "constructor" }.Where(then.ContainsKey))
        {
            r.Error(then, key, $"{path}.{key}", "then calls a module-level function of the original (function = \"write_rows\", module defaults to the call's): remove class, method and constructor");
        }
        r.OnlyKeys(then, path, "module", "function", "args", "kwargs", "class", "method", "constructor");
        var module = r.String(then, "module", path) ?? callModule;
        if (then.ContainsKey("module") && module is not null && !ModulePattern().IsMatch(module))
        {
            r.Error(then, "module", path + ".module", $"'{module}' is not a Python module path (dotted identifiers)");
        }
        var function = r.String(then, "function", path, required: true);
        if (function is not null && !IdentifierPattern().IsMatch(function))
        {
            r.Error(then, "function", path + ".function", $"'{function}' is not a Python identifier");
        }
        var (args, kwargs) = ReadArguments(r, then, path, options, inThen: true);
        return module is null || function is null ? null
            : new ExporterCall(module, "", "", new Dictionary<string, ExporterArgument>(StringComparer.Ordinal), args, kwargs) { Function = function };
    }

    private static (List<ExporterArgument> Args, Dictionary<string, ExporterArgument> Kwargs) ReadArguments(
        CatalogTomlReader r, TomlTable call, string path, IReadOnlySet<string> options, bool inThen)
    {
        var args = new List<ExporterArgument>();
        foreach (var value in r.Array(call, "args", path) ?? [])
        {
            args.Add(Argument(r, call, "args", path + ".args", value, options, inThen));
        }
        var kwargs = new Dictionary<string, ExporterArgument>(StringComparer.Ordinal);
        var kwargTable = r.Table(call, "kwargs", path);
        foreach (var (name, value) in kwargTable ?? [])
        {
            if (!IdentifierPattern().IsMatch(name))
            {
                r.Error(kwargTable!, name, $"{path}.kwargs.{name}", "is not a Python parameter name");
            }
            kwargs[name] = Argument(r, kwargTable!, name, $"{path}.kwargs.{name}", value, options, inThen);
        }
        return (args, kwargs);
    }

    private static ExporterArgument Argument(CatalogTomlReader r, TomlTable table, string key, string path, object? value, IReadOnlySet<string> options, bool inThen)
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
        if (form.ContainsKey("date"))
        {
            r.OnlyKeys(form, path, "date");
            var date = r.String(form, "date", path);
            if (date is not null && !ExporterArgument.DateValues.Contains(date))
            {
                r.Error(form, "date", path + ".date", $"'{date}' is no date value: use one of {string.Join(", ", ExporterArgument.DateValues)} (the request value passed as a datetime.date)");
            }
            return new ExporterArgument(null, null) { Date = date };
        }
        if (form.ContainsKey("result"))
        {
            r.OnlyKeys(form, path, "result");
            if (!inThen)
            {
                r.Error(form, "result", path + ".result", "{ result = true } is the first call's return value: it is allowed only in the args and kwargs of then");
            }
            else if (form["result"] is not true)
            {
                r.Error(form, "result", path + ".result", "write { result = true } (the first call's return value)");
            }
            return new ExporterArgument(null, null) { Result = true };
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
            r.Error(table, key, path, "an argument table is " + ArgumentForms);
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
        var fallback = form.TryGetValue("default", out var raw) ? Argument(r, form, "default", path + ".default", raw, options, inThen: false) : null;
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
