using System.Text.RegularExpressions;
using Tomlyn.Model;

namespace ExportFlows.Workflows.Catalog;

/// <summary>
/// Reads a row's <c>call</c>. An argument in <c>args</c>/<c>kwargs</c> that is a string names a request value (or an
/// option of the type); <c>{ const = … }</c> or any other value is a constant. Constructor arguments are constants.
/// </summary>
internal static partial class ExporterCallParser
{
    public static ExporterCall? Read(CatalogTomlReader r, TomlTable row, string path, IReadOnlySet<string> options)
    {
        if (r.Table(row, "call", path[..path.LastIndexOf('.')]) is not { } call)
        {
            return null;
        }
        r.OnlyKeys(call, path, "module", "class", "method", "constructor", "args", "kwargs");
        var module = r.String(call, "module", path, required: true);
        var cls = r.String(call, "class", path, required: true);
        var method = r.String(call, "method", path, required: true);
        if (module is not null && !ModulePattern().IsMatch(module))
        {
            r.Error(call, "module", path + ".module", $"'{module}' is not a Python module path (dotted identifiers)");
        }
        foreach (var (key, value) in new[] { ("class", cls), ("method", method) })
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
        return module is null || cls is null || method is null ? null : new ExporterCall(module, cls, method, constructor, args, kwargs);
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
        if (value is TomlTable constant && (constant.Count != 1 || !constant.ContainsKey("const")))
        {
            r.Error(table, key, path, "a constant is written { const = … }");
        }
        return new ExporterArgument(null, CatalogTomlReader.ToJson(Unwrap(value)));
    }

    private static object? Unwrap(object? value) => value is TomlTable t && t.Count == 1 && t.TryGetValue("const", out var inner) ? inner : value;

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex ModulePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierPattern();
}
