using System.Globalization;
using System.Reflection;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Configuration;

namespace ExportFlows.Worker.Cli;

/// <summary>
/// Binds a configuration section to its settings record. Settings are input: a value that does not parse is an
/// <see cref="InvalidExportRequestException"/> (exit 2) naming the setting, the value and the form expected. Durations
/// take the catalog's form (<c>20s</c>, <c>1h30m</c>) or <c>hh:mm:ss</c>; <c>*Bytes*</c> settings take <c>10GiB</c>.
/// </summary>
public static class SettingsBinder
{
    private const string DurationForm = "a duration such as 20s, 5m, 1h30m or 00:00:20";

    public static T Bind<T>(IConfiguration configuration, string section) where T : class, new()
    {
        var values = configuration.GetSection(section);
        var normalized = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            if (values[property.Name] is not { } raw || string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var setting = $"{section}__{property.Name}";
            var text = raw.Trim();
            normalized[$"{section}:{property.Name}"] = type switch
            {
                _ when type == typeof(TimeSpan) => Duration(setting, text).ToString("c", CultureInfo.InvariantCulture),
                _ when (type == typeof(long) || type == typeof(int)) && property.Name.Contains("Bytes", StringComparison.Ordinal) =>
                    (ByteSize.TryParse(text, out var bytes) && (type == typeof(long) || bytes <= int.MaxValue)
                        ? bytes : throw Invalid(setting, raw, "a number of bytes such as 10737418240 or 10GiB"))
                    .ToString(CultureInfo.InvariantCulture),
                _ when type == typeof(int) || type == typeof(long) =>
                    long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) && (type == typeof(long) || whole is >= int.MinValue and <= int.MaxValue)
                        ? text : throw Invalid(setting, raw, "a whole number"),
                _ when type == typeof(bool) => bool.TryParse(text, out _) ? text : throw Invalid(setting, raw, "true or false"),
                _ => raw,
            };
        }
        var effective = normalized.Count == 0 ? configuration
            : new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(normalized).Build();
        try
        {
            return effective.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidExportRequestException($"invalid setting in {section}__*: {ex.Message}");
        }
    }

    /// <summary>The catalog's duration form, or <c>[d.]hh:mm:ss</c>; never negative. A bare number is refused (TimeSpan would read days).</summary>
    public static TimeSpan Duration(string setting, string text)
    {
        if (CatalogDuration.TryParse(text, out var duration) ||
            (text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero))
        {
            return duration;
        }
        throw Invalid(setting, text, DurationForm);
    }

    private static InvalidExportRequestException Invalid(string setting, string value, string expected) =>
        new($"invalid setting {setting} '{value}': expected {expected}");
}
