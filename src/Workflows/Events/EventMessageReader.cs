using System.Globalization;
using System.Text;
using System.Text.Json;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Workflows.Events;

/// <summary>
/// Reads a raw message for its catalog event: the date (today and yesterday against the given clock, America/New_York),
/// the event's fields typed, the types it lists checked against the catalog, the flag form, the sport. Pure and
/// deterministic: the same message, event, catalog and clock give the same answer; bad input is a refusal naming
/// the field, never an exception.
/// </summary>
public static class EventMessageReader
{
    /// <summary>The largest message read, in UTF-8 bytes (the messages are under 1 KiB).</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The most types one message may list.</summary>
    public const int MaxTypes = 100;

    public static EventReading Read(CatalogEvent ev, ExportCatalog catalog, string json, DateTimeOffset now)
    {
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > MaxBytes)
        {
            return Whole($"{bytes} bytes is larger than the limit of {MaxBytes} bytes");
        }
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            var root = document.RootElement;
            if (PubSubPushBody.Data(root) is { } data)
            {
                return Unwrap(ev, catalog, data, now);
            }
            return root.ValueKind == JsonValueKind.Object
                ? Read(ev, catalog, root, now)
                : Whole($"expected a JSON object, got {root.ValueKind}");
        }
        catch (JsonException ex)
        {
            return Whole($"not valid JSON ({ex.Message})");
        }
        catch (ArgumentException ex)
        {
            return Whole($"not valid text ({ex.Message})");
        }
        catch (InvalidOperationException ex)
        {
            // System.Text.Json refuses text it cannot represent, e.g. an unpaired UTF-16 surrogate.
            return Whole($"unreadable value ({ex.Message})");
        }
    }

    private static EventReading Unwrap(CatalogEvent ev, ExportCatalog catalog, string data, DateTimeOffset now)
    {
        var buffer = new byte[data.Length];
        if (!Convert.TryFromBase64String(data, buffer, out var length))
        {
            return EventReading.Refuse("message.data", "message.data is not base64");
        }
        var inner = Encoding.UTF8.GetString(buffer, 0, length);
        return Read(ev, catalog, inner, now);
    }

    private static EventReading Read(CatalogEvent ev, ExportCatalog catalog, JsonElement message, DateTimeOffset now)
    {
        if (ev.Sport is { } sport && Present(message, CatalogEvent.SportField) is { } given)
        {
            if (given.ValueKind != JsonValueKind.String)
            {
                return Refuse(CatalogEvent.SportField, $"must be a string, got {Shown(given)}");
            }
            if (given.GetString() != sport)
            {
                return Refuse(CatalogEvent.SportField,
                    $"'{Shorten(given.GetString()!)}' has no rows in this catalog (its rows serve {sport}): the message is refused, never run as {sport}");
            }
        }
        var dateField = ev.Date.Fields.FirstOrDefault(f => Present(message, f) is not null);
        string dateText;
        if (dateField is not null)
        {
            var value = Present(message, dateField)!.Value;
            if (value.ValueKind != JsonValueKind.String)
            {
                return Refuse(dateField, $"must be a date YYYY-MM-DD, today or yesterday, got {Shown(value)}");
            }
            dateText = value.GetString()!;
        }
        else if (ev.Date.Default is { } word)
        {
            (dateField, dateText) = (ev.Date.Fields[0], word);
        }
        else
        {
            return Refuse(ev.Date.Fields[0], $"is missing: the message gives its date in {string.Join(" or ", ev.Date.Fields)}");
        }
        DateOnly date;
        try
        {
            date = ExportDates.Resolve(dateText, now, dateField);
        }
        catch (InvalidExportRequestException ex)
        {
            // "invalid target_date '…': …" names the field already.
            return EventReading.Refuse(dateField, ex.Message);
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, field) in ev.Fields)
        {
            if (Present(message, name) is not { } value)
            {
                if (field.DefaultJson is { } fallback)
                {
                    values[name] = fallback;
                }
                continue;
            }
            if (Typed(field.Type, value) is not { } typed)
            {
                return Refuse(name, $"must be {Article(field.Type)}, got {Shown(value)}");
            }
            values[name] = typed;
        }
        if (ev.Flag is { } flag && Present(message, flag.Field) is { } flagValue)
        {
            if (flagValue.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Refuse(flag.Field, $"must be true or false, got {Shown(flagValue)}");
            }
            if (flagValue.ValueKind == JsonValueKind.True)
            {
                return FlagForm(ev, catalog, flag, message, date, values);
            }
        }
        IReadOnlyList<string> types;
        if (ev.RunsFrom is { } listField)
        {
            var listed = ListedTypes(catalog, message, listField, ev.Flag);
            if (listed.Refusal is not null)
            {
                return EventReading.Refuse(listed.Refusal.Field, listed.Refusal.Reason);
            }
            types = listed.Types!;
        }
        else
        {
            types = ev.RunsOrchestrator ? catalog.Orchestrator : ev.Runs.Select(r => r.Name).ToList();
        }
        return EventReading.Accept(new EventRequest(ev.Name, date, types, values));
    }

    private static EventReading FlagForm(CatalogEvent ev, ExportCatalog catalog, EventFlag flag, JsonElement message, DateOnly date,
        Dictionary<string, string> values)
    {
        var rows = flag.Runs.SelectMany(n => catalog.Groups.TryGetValue(n, out var g) ? g : [n]).Select(catalog.Find).OfType<ExportTypeRow>().ToList();
        var options = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in flag.Options)
        {
            var rule = ExportOption.Find(rows, name)!;
            if (Present(message, name) is not { } value)
            {
                options[name] = rule.Default;
                continue;
            }
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var n) || n < rule.Minimum || n > rule.Maximum)
            {
                return Refuse(name, $"must be an integer from {rule.Minimum} to {rule.Maximum}, got {Shown(value)}");
            }
            options[name] = n;
        }
        return EventReading.Accept(new EventRequest(ev.Name, date, flag.Runs, values) { Options = options });
    }

    private static (IReadOnlyList<string>? Types, EventRefusal? Refusal) ListedTypes(ExportCatalog catalog, JsonElement message, string field, EventFlag? flag)
    {
        if (Present(message, field) is not { } list)
        {
            var or = flag is null ? "" : $", or send {flag.Field} = true";
            return (null, new(field, $"{field} is missing: list the export types to run{or}"));
        }
        if (list.ValueKind != JsonValueKind.Array)
        {
            return (null, new(field, $"{field} must be an array of export types, got {Shown(list)}"));
        }
        var count = list.GetArrayLength();
        if (count == 0 || count > MaxTypes)
        {
            return (null, new(field, $"{field} lists {count} types: list 1 to {MaxTypes}"));
        }
        var types = new List<string>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return (null, new(field, $"{field} must hold export types' names, got {Shown(item)}"));
            }
            var name = item.GetString()!;
            if (catalog.Find(name) is null && !catalog.Groups.ContainsKey(name))
            {
                return (null, new(field, $"{field} names '{Shorten(name)}', which is no type or group of the catalog ({catalog.Fingerprint})"));
            }
            if (!types.Contains(name, StringComparer.Ordinal))
            {
                types.Add(name);
            }
        }
        return (types, null);
    }

    /// <summary>The value as canonical JSON text when it has the type, else null.</summary>
    private static string? Typed(EventFieldType type, JsonElement value) => type switch
    {
        EventFieldType.String when value.ValueKind == JsonValueKind.String => JsonSerializer.Serialize(value.GetString()),
        EventFieldType.Integer when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
        EventFieldType.Number when value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) =>
            (d / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture),
        EventFieldType.Bool when value.ValueKind is JsonValueKind.True or JsonValueKind.False => value.ValueKind == JsonValueKind.True ? "true" : "false",
        _ => null,
    };

    /// <summary>The field's value, or null when absent or JSON null (the original treats both as not given).</summary>
    private static JsonElement? Present(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string Article(EventFieldType type) => type == EventFieldType.Integer ? "an integer" : "a " + EventField.TypeName(type);

    private static EventReading Refuse(string field, string problem) =>
        EventReading.Refuse(field, problem.StartsWith(field, StringComparison.Ordinal) ? problem : $"{field} {problem}");

    private static EventReading Whole(string problem) => EventReading.Refuse(EventRefusal.WholeMessage, $"{EventRefusal.WholeMessage} {problem}");

    private static string Shown(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {Shorten(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => "an array",
        _ => "an object",
    };

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
