using System.Text.Json;
using System.Text.RegularExpressions;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Workflows.Contracts;

/// <summary>
/// Reads an export activity's answer as raw JSON and checks it against the contract and the catalog row in plain code:
/// a worker in any language can answer anything, and a bad answer must fail its export, never the workflow task.
/// </summary>
public static partial class ExportResultCheck
{
    /// <summary>GCS's own limit of an object name; 1,000 of them stay near 1 MB, half of Temporal's payload limit.</summary>
    public const int MaxNameLength = 1024;

    /// <summary>The report's outcome of an answer: as the result says, or a <c>ContractViolation</c> naming the field and the worker's queue.</summary>
    public static ExportOutcome Outcome(string? encoding, ReadOnlySpan<byte> data, ExportTypeRow row, DateOnly? date, string queue, TimeSpan duration)
    {
        var (result, problem) = Check(encoding, data, row, date);
        return problem is null ? ExportReportBuilder.FromResult(result!, duration) : ExportReportBuilder.ContractFailure(row.Name, row.Activity, queue, problem, duration);
    }

    /// <summary>The result, or the problem naming the field (never both).</summary>
    public static (ExportActivityResult? Result, string? Problem) Check(string? encoding, ReadOnlySpan<byte> data, ExportTypeRow row, DateOnly? date)
    {
        if (encoding != "json/plain")
        {
            return (null, encoding == "binary/null" ? "the result is null" : $"the result is not JSON (encoding '{encoding}')");
        }
        try
        {
            using var document = JsonDocument.Parse(data.ToArray());
            return Check(document.RootElement, row, date);
        }
        catch (JsonException ex)
        {
            return (null, $"the result is not valid JSON ({ex.Message})");
        }
        catch (InvalidOperationException ex)
        {
            // A string escape that is no text (a lone surrogate such as \ud800) parses, but throws when read: thrown on, it
            // would fail the workflow task on every retry instead of this export.
            return (null, $"the result holds a string that is not valid text ({ex.Message})");
        }
    }

    private static (ExportActivityResult?, string?) Check(JsonElement root, ExportTypeRow row, DateOnly? date)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, $"the result is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object with export_type, objects and skipped_reason");
        }
        if (!root.TryGetProperty("export_type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return (null, "export_type: missing or not a string");
        }
        if (type.GetString() != row.Name)
        {
            return (null, $"export_type '{type.GetString()}' answers a request for '{row.Name}'");
        }
        if (!root.TryGetProperty("objects", out var objects) || objects.ValueKind != JsonValueKind.Array)
        {
            return (null, "objects: missing or not an array");
        }
        if (objects.GetArrayLength() > ExportActivityResult.MaxListedObjects)
        {
            return (null, $"objects: {objects.GetArrayLength()} listed; at most {ExportActivityResult.MaxListedObjects} may be listed (give the total in object_count)");
        }
        if (row.IsStep && objects.GetArrayLength() > 0)
        {
            return (null, "objects: a step writes no document, but objects were listed");
        }
        var list = new List<ExportActivityObject>();
        var index = 0;
        var totalBytes = 0L;
        foreach (var item in objects.EnumerateArray())
        {
            if (ObjectProblem(item, row, date, out var parsed) is { } problem)
            {
                return (null, $"objects[{index}]: {problem}");
            }
            // The report sums the sizes (checked arithmetic): sizes adding up past long.MaxValue would throw in workflow code.
            if (parsed!.Bytes is { } bytes && bytes > long.MaxValue - totalBytes)
            {
                return (null, $"objects[{index}]: bytes: the sizes add up to more than {long.MaxValue}");
            }
            totalBytes += parsed.Bytes ?? 0;
            list.Add(parsed);
            index++;
        }
        if (!root.TryGetProperty("skipped_reason", out var skipped) || skipped.ValueKind is not (JsonValueKind.Null or JsonValueKind.String))
        {
            return (null, "skipped_reason: missing, or neither null nor a string");
        }
        var reason = skipped.ValueKind == JsonValueKind.String ? skipped.GetString() : null;
        if (reason is not null && list.Count > 0)
        {
            return (null, "skipped_reason set although objects were written");
        }
        if (reason is null && list.Count == 0 && !row.IsStep)
        {
            return (null, "objects: empty although skipped_reason is null (list the objects written, or say why none was)");
        }
        var countProblem = Optional(root, "object_count", out var count);
        if (countProblem is not null || count < list.Count)
        {
            return (null, $"object_count: {countProblem ?? "smaller than the objects listed"}");
        }
        var attemptProblem = Optional(root, "attempt", out var attempt);
        if (attemptProblem is not null || attempt is 0 or > int.MaxValue)
        {
            return (null, $"attempt: {attemptProblem ?? $"{attempt} is not an attempt number (1 or more)"}");
        }
        ExportCost? cost = null;
        if (root.TryGetProperty("cost", out var costElement) && costElement.ValueKind != JsonValueKind.Null)
        {
            try
            {
                cost = costElement.ValueKind == JsonValueKind.Object ? costElement.Deserialize<ExportCost>() : throw new JsonException("not an object");
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
            {
                return (null, $"cost: {ex.Message}");
            }
        }
        var (values, valuesProblem) = Values(root, row);
        if (valuesProblem is not null)
        {
            return (null, $"values: {valuesProblem}");
        }
        string? note = null;
        if (root.TryGetProperty("note", out var noteElement) && noteElement.ValueKind != JsonValueKind.Null)
        {
            if (noteElement.ValueKind != JsonValueKind.String || noteElement.GetString()!.Length > ExportActivityResult.MaxNoteLength)
            {
                return (null, $"note: expected a string of at most {ExportActivityResult.MaxNoteLength} characters, or null");
            }
            note = noteElement.GetString();
        }
        return (new ExportActivityResult(row.Name, list, reason) { ObjectCount = count, Attempt = (int?)attempt, Cost = cost, Values = values, Note = note }, null);
    }

    /// <summary>The result's named values: an object of the names the row declares, at most <see cref="ExportActivityResult.MaxValuesBytes"/> of JSON.</summary>
    private static (IReadOnlyDictionary<string, JsonElement>?, string?) Values(JsonElement root, ExportTypeRow row)
    {
        if (!root.TryGetProperty("values", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, $"expected an object of named values, found a JSON {element.ValueKind.ToString().ToLowerInvariant()}");
        }
        var size = System.Text.Encoding.UTF8.GetByteCount(element.GetRawText());
        if (size > ExportActivityResult.MaxValuesBytes)
        {
            return (null, $"{size} bytes of JSON; at most {ExportActivityResult.MaxValuesBytes} (values are for small things such as a version id)");
        }
        var values = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!row.Values.ContainsKey(property.Name))
            {
                return (null, $"'{Shown(property.Name)}' is not a value the row declares ({(row.Values.Count == 0 ? "it declares none" : string.Join(", ", row.Values.Keys))})");
            }
            ReadAllText(property.Value);
            values[property.Name] = property.Value.Clone();
        }
        return (values, null);
    }

    /// <summary>Reads every string, so one that is no valid text fails here (caught as a contract problem), not later in the report.</summary>
    private static void ReadAllText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    ReadAllText(item);
                }
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    ReadAllText(property.Value);
                }
                break;
        }
    }

    private static string? ObjectProblem(JsonElement item, ExportTypeRow row, DateOnly? date, out ExportActivityObject? parsed)
    {
        parsed = null;
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
        {
            return "expected { name, bytes, generation } with a string name";
        }
        var name = nameElement.GetString()!;
        if (name.Contains("://", StringComparison.Ordinal) || name.StartsWith('/'))
        {
            return $"name '{Shown(name)}' is not relative to the bucket (expected v1/…)";
        }
        if (name.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            return $"name '{Shown(name)}' has an empty, '.' or '..' segment";
        }
        if (name.Length > MaxNameLength || !ObjectNamePattern().IsMatch(name))
        {
            return $"name '{Shown(name)}' is not v1/….json of at most {MaxNameLength} letters, digits, '.', '_', '-' and '/'";
        }
        if (!row.Objects.Any(o => o.Matches(name, date)))
        {
            return $"name '{Shown(name)}' is none of the type's catalog objects ({string.Join(", ", row.Objects.Select(o => o.Pattern))})";
        }
        if (Optional(item, "bytes", out var bytes) is { } bytesProblem)
        {
            return $"bytes: {bytesProblem}";
        }
        if (item.TryGetProperty("generation", out var generation) && generation.ValueKind is not (JsonValueKind.Null or JsonValueKind.String))
        {
            return "generation: expected a string or null";
        }
        parsed = new ExportActivityObject(name, bytes, generation.ValueKind == JsonValueKind.String ? generation.GetString() : null);
        return null;
    }

    /// <summary>An optional non-negative integer property (absent or null is fine).</summary>
    private static string? Optional(JsonElement parent, string property, out long? value)
    {
        value = null;
        if (!parent.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var number) || number < 0)
        {
            return $"expected a non-negative integer or null, found {Shown(element.GetRawText())}";
        }
        value = number;
        return null;
    }

    private static string Shown(string text) => text.Length > 80 ? text[..80] + "…" : text;

    /// <summary>output.schema.json's pattern of an object name.</summary>
    [GeneratedRegex(@"^v1/[A-Za-z0-9._/-]+\.json\z")]
    private static partial Regex ObjectNamePattern();
}
