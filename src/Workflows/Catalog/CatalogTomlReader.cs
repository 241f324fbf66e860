using System.Globalization;
using System.Text.Json;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace ExportFlows.Workflows.Catalog;

/// <summary>Typed, line-aware reads of a parsed TOML document that collect every error instead of stopping at the first.</summary>
internal sealed class CatalogTomlReader(string source, TomlMetadataStore metadata)
{
    public List<CatalogError> Errors { get; } = [];

    public void Error(TomlTable table, string key, string path, string message) => Errors.Add(new(source, LineOf(table, key), path, message));

    /// <summary>A key the table lacks, reported at the table's first line.</summary>
    public void Missing(TomlTable table, string path, string message) => Errors.Add(new(source, LineOfTable(table), path, message));

    public int LineOf(TomlTable table, string key) =>
        metadata.TryGetProperties(table, out var properties) && properties is not null && properties.TryGetProperty(key, out var property)
            && property?.Span is { } span
            ? span.Start.Line + 1
            : 0;

    /// <summary>Reports keys the format does not know (a typo would otherwise be ignored silently).</summary>
    public void OnlyKeys(TomlTable table, string path, params string[] known)
    {
        foreach (var key in table.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)).ToList())
        {
            Error(table, key, Join(path, key), $"unknown key; expected one of {string.Join(", ", known)}");
        }
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public TomlTable? Table(TomlTable table, string key, string path, bool required = false) => Get<TomlTable>(table, key, path, "a table", required);

    public TomlArray? Array(TomlTable table, string key, string path, bool required = false) => Get<TomlArray>(table, key, path, "an array", required);

    public string? String(TomlTable table, string key, string path, bool required = false)
    {
        var value = Get<string>(table, key, path, "a string", required);
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            Error(table, key, Join(path, key), "must not be empty");
            return null;
        }
        return value;
    }

    public bool Bool(TomlTable table, string key, string path) => Get<bool?>(table, key, path, "true or false", false) ?? false;

    public long? Integer(TomlTable table, string key, string path, bool required = false, long min = long.MinValue, long max = long.MaxValue)
    {
        var value = Get<long?>(table, key, path, "an integer", required);
        if (value is { } v && (v < min || v > max))
        {
            Error(table, key, Join(path, key), $"{v} is out of range: expected {min} to {max}");
            return null;
        }
        return value;
    }

    public double? Number(TomlTable table, string key, string path, bool required = false)
    {
        if (table.TryGetValue(key, out var raw) && raw is long whole)
        {
            return whole;
        }
        return Get<double?>(table, key, path, "a number", required);
    }

    public TimeSpan? Duration(TomlTable table, string key, string path, bool required = false)
    {
        var text = Get<string>(table, key, path, "a duration such as \"90s\", \"5m\" or \"1h30m\"", required);
        if (text is null)
        {
            return null;
        }
        if (!CatalogDuration.TryParse(text, out var duration))
        {
            Error(table, key, Join(path, key), $"'{text}' is not a duration: write e.g. {CatalogDuration.Examples}");
            return null;
        }
        if (duration <= TimeSpan.Zero || duration > TimeSpan.FromDays(7))
        {
            Error(table, key, Join(path, key), $"'{text}' must be more than 0 s and at most 7 days");
            return null;
        }
        return duration;
    }

    /// <summary>The strings of an array value (each checked), or null when absent or wrong.</summary>
    public IReadOnlyList<string>? Strings(TomlTable table, string key, string path, bool required = false)
    {
        var array = Array(table, key, path, required);
        if (array is null)
        {
            return null;
        }
        if (array.Any(item => item is not string s || string.IsNullOrWhiteSpace(s)))
        {
            Error(table, key, Join(path, key), "must be an array of non-empty strings");
            return null;
        }
        return array.Cast<string>().ToList();
    }

    public IReadOnlyList<long>? Integers(TomlTable table, string key, string path, long min, long max)
    {
        var array = Array(table, key, path);
        if (array is null)
        {
            return null;
        }
        if (array.Count == 0 || array.Any(item => item is not long n || n < min || n > max))
        {
            Error(table, key, Join(path, key), $"must be a non-empty array of integers from {min} to {max}");
            return null;
        }
        return array.Cast<long>().ToList();
    }

    /// <summary>A TOML value as JSON text (a constant argument of an exporter call).</summary>
    public static string ToJson(object? value) => JsonSerializer.Serialize(ToPlain(value));

    private static object? ToPlain(object? value) => value switch
    {
        TomlTable table => table.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        TomlArray array => array.Select(ToPlain).ToList(),
        TomlTableArray tables => tables.Select(t => ToPlain(t)).ToList(),
        Tomlyn.TomlDateTime when value.ToString() is { } text => text,
        _ => value,
    };

    private T? Get<T>(TomlTable table, string key, string path, string expected, bool required)
    {
        if (!table.TryGetValue(key, out var raw) || raw is null)
        {
            if (required)
            {
                Missing(table, Join(path, key), $"missing: expected {expected}");
            }
            return default;
        }
        if (raw is T typed)
        {
            return typed;
        }
        if (typeof(T) == typeof(bool?) && raw is bool b)
        {
            return (T)(object)b;
        }
        if (typeof(T) == typeof(long?) && raw is long l)
        {
            return (T)(object)l;
        }
        if (typeof(T) == typeof(double?) && raw is double d)
        {
            return (T)(object)d;
        }
        Error(table, key, Join(path, key), $"expected {expected}, found {Describe(raw)}");
        return default;
    }

    /// <summary>The line of a table's first key: where a missing key is reported.</summary>
    private int LineOfTable(TomlTable table) => table.Keys.Select(k => LineOf(table, k)).Where(l => l > 0).DefaultIfEmpty(0).Min();

    private static string Describe(object value) => value switch
    {
        string s => $"the string \"{(s.Length > 40 ? s[..40] + "…" : s)}\"",
        long or double => $"the number {Convert.ToString(value, CultureInfo.InvariantCulture)}",
        bool b => b ? "true" : "false",
        Tomlyn.TomlDateTime => $"the unquoted date or time {value}",
        TomlTable => "a table",
        TomlArray or TomlTableArray => "an array",
        _ => value.GetType().Name,
    };
}
