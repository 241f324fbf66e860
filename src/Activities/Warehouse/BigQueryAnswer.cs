using System.Globalization;
using System.Text.Json;
using ExportFlows.Activities.Google;

namespace ExportFlows.Activities.Warehouse;

/// <summary>
/// Reads the answers of <c>jobs.query</c> and <c>jobs.getQueryResults</c> without trusting their shape: every
/// property is checked before use and every cell is decoded by the schema's type, so an answer that is not what
/// BigQuery documents fails with <see cref="Malformed"/> (not retried) naming the query, the job and what was wrong.
/// </summary>
public sealed class BigQueryAnswer(WarehouseQuery query)
{
    public const string MalformedReason = "malformedAnswer";

    public string? JobId { get; private set; }

    /// <summary>The job of the first answer, and its location when the answer names one.</summary>
    public (string JobId, string? Location) ReadJobReference(JsonElement page)
    {
        var reference = Required(Root(page), "jobReference", JsonValueKind.Object, "has no jobReference object");
        JobId = Text(reference, "jobId", required: true, "has no jobReference.jobId")!;
        return (JobId, Text(reference, "location", required: false, "has a jobReference.location that is not a string"));
    }

    /// <summary>False while the job runs (<c>jobComplete: false</c>).</summary>
    public bool IsComplete(JsonElement page) => Optional(Root(page), "jobComplete", JsonValueKind.Undefined, "") is not { } complete || complete.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Malformed($"has a jobComplete that is {complete.ValueKind}, not true or false"),
    };

    /// <summary>A job error answered inside a 200: retried as a new job when its reason says so.</summary>
    public void ThrowOnJobErrors(JsonElement page)
    {
        if (Optional(Root(page), "errors", JsonValueKind.Array, "has errors that are not an array") is not { } errors || errors.GetArrayLength() == 0)
        {
            return;
        }
        var first = errors[0].ValueKind == JsonValueKind.Object ? errors[0] : default;
        var reason = first.ValueKind == JsonValueKind.Object ? Text(first, "reason", required: false, "has an error reason that is not a string") : null;
        var message = (first.ValueKind == JsonValueKind.Object ? Text(first, "message", required: false, "has an error message that is not a string") : null) ?? "query failed";
        throw new GoogleApiException("BigQuery", 200, reason, $"query '{query.Name}': {message}", RetryPolicy.IsRetryable(200, reason));
    }

    /// <summary>The result's columns (name → index) and their types, from a completed job's schema.</summary>
    public (Dictionary<string, int> Columns, string[] Types) ReadSchema(JsonElement page)
    {
        var schema = Required(Root(page), "schema", JsonValueKind.Object, "of a completed job has no schema object");
        var fields = Required(schema, "fields", JsonValueKind.Array, "has no schema.fields array");
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var types = new string[fields.GetArrayLength()];
        var i = 0;
        foreach (var field in fields.EnumerateArray())
        {
            if (field.ValueKind != JsonValueKind.Object)
            {
                throw Malformed($"has schema field {i + 1} that is {field.ValueKind}, not an object");
            }
            var name = Text(field, "name", required: true, $"has schema field {i + 1} without a name")!;
            if (!columns.TryAdd(name, i))
            {
                throw Malformed($"names column '{name}' twice in its schema");
            }
            types[i++] = Text(field, "type", required: true, $"has schema field '{name}' without a type")!;
        }
        return (columns, types);
    }

    /// <summary>The page's <c>totalRows</c> (a string of digits), when it has one.</summary>
    public long? TotalRows(JsonElement page) =>
        Text(Root(page), "totalRows", required: false, "has a totalRows that is not a string") is { } text
            ? long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var total) ? total : throw Malformed($"has totalRows '{Shorten(text)}', not a count")
            : null;

    /// <summary>
    /// The job statistics a query answer carries: <c>jobs.query</c> gives all four, <c>jobs.getQueryResults</c> only
    /// bytes processed and the cache hit, a dry run only bytes processed.
    /// </summary>
    public JobStatistics Statistics(JsonElement page)
    {
        var root = Root(page);
        return new(Count(root, "totalBytesProcessed"), Count(root, "totalBytesBilled"), Count(root, "totalSlotMs"), Flag(root, "cacheHit"));
    }

    /// <summary>The statistics of a <c>jobs.get</c> answer: <c>statistics.totalBytesProcessed</c>, <c>totalSlotMs</c>, <c>query.totalBytesBilled</c>, <c>query.cacheHit</c>.</summary>
    public JobStatistics JobStatistics(JsonElement job)
    {
        if (Optional(Root(job), "statistics", JsonValueKind.Object, "has statistics that are not an object") is not { } statistics)
        {
            return new(null, null, null, null);
        }
        var details = Optional(statistics, "query", JsonValueKind.Object, "has statistics.query that is not an object");
        return new(
            Count(statistics, "totalBytesProcessed") ?? (details is { } q ? Count(q, "totalBytesProcessed") : null),
            details is { } withBilled ? Count(withBilled, "totalBytesBilled") : null,
            Count(statistics, "totalSlotMs"),
            details is { } withCache ? Flag(withCache, "cacheHit") : null);
    }

    public string? PageToken(JsonElement page) => Text(Root(page), "pageToken", required: false, "has a pageToken that is not a string");

    /// <summary>The page's rows (none when it has no <c>rows</c>).</summary>
    public IEnumerable<JsonElement> Rows(JsonElement page) =>
        Optional(Root(page), "rows", JsonValueKind.Array, "has rows that are not an array") is { } rows ? rows.EnumerateArray() : [];

    /// <summary>One row (<c>{"f": [{"v": …}, …]}</c>) decoded by the schema; <paramref name="number"/> counts from 1 over all pages.</summary>
    public object?[] DecodeRow(JsonElement row, Dictionary<string, int> columns, string[] types, long number)
    {
        if (row.ValueKind != JsonValueKind.Object || !row.TryGetProperty("f", out var cells) || cells.ValueKind != JsonValueKind.Array)
        {
            throw Malformed($"has row {number} that is not an object with an array 'f' of cells");
        }
        if (cells.GetArrayLength() != types.Length)
        {
            throw Malformed($"has row {number} with {cells.GetArrayLength()} cells where its schema has {types.Length} columns");
        }
        var values = new object?[types.Length];
        var i = 0;
        foreach (var cell in cells.EnumerateArray())
        {
            if (cell.ValueKind != JsonValueKind.Object || !cell.TryGetProperty("v", out var v))
            {
                throw Malformed($"has row {number} whose cell {i + 1} is not an object with a value 'v'");
            }
            values[i] = v.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => DecodeCell(v, columns, types, i, number),
                var kind => throw Malformed($"has row {number} whose column '{NameOf(columns, i)}' ({types[i]}) holds a JSON {kind}, not a string"),
            };
            i++;
        }
        return values;
    }

    /// <summary>A string cell as its column's type; the message naming row and column is built only when the cell fails.</summary>
    private object DecodeCell(JsonElement cell, Dictionary<string, int> columns, string[] types, int index, long number)
    {
        string Holder() => $"row {number} whose column '{NameOf(columns, index)}' ({types[index]}) holds";
        var text = StringOf(cell) ?? throw Unreadable(Holder());
        return Decode(text, types[index]) ?? throw Malformed($"has {Holder()} '{Shorten(text)}', which is not a {types[index]}");
    }

    public GoogleApiException Malformed(string what) =>
        new("BigQuery", 200, MalformedReason, $"the answer to query '{query.Name}'{(JobId is null ? "" : $" (job {JobId})")} {what}; an answer BigQuery does not give is not retried", retryable: false);

    public GoogleApiException TooLarge(string what) =>
        new("BigQuery", 200, "answerTooLarge", $"the answer to query '{query.Name}'{(JobId is null ? "" : $" (job {JobId})")} {what}", retryable: false);

    /// <summary>A cell's text as the schema's type, or null when it is not one. A number too large for decimal stays a double: the typed getters name it if it is used.</summary>
    private static object? Decode(string s, string type) => type switch
    {
        "STRING" => s,
        "INTEGER" or "INT64" => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null,
        "FLOAT" or "FLOAT64" => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : null,
        "NUMERIC" or "BIGNUMERIC" => decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
            : double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var big) && double.IsFinite(big) ? big : null,
        "BOOLEAN" or "BOOL" => s.Equals("true", StringComparison.OrdinalIgnoreCase) ? true : s.Equals("false", StringComparison.OrdinalIgnoreCase) ? false : null,
        "DATE" => DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null,
        "TIMESTAMP" => Timestamp(s),
        _ => s,
    };

    /// <summary>BigQuery's TIMESTAMP cell: seconds since the epoch, as a decimal string.</summary>
    private static object? Timestamp(string s)
    {
        const decimal MaxSeconds = 253_402_300_799m; // 9999-12-31T23:59:59Z
        if (!decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < -62_135_596_800m || seconds > MaxSeconds)
        {
            return null;
        }
        return DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
    }

    private JsonElement Root(JsonElement page) =>
        page.ValueKind == JsonValueKind.Object ? page : throw Malformed($"is a JSON {page.ValueKind}, not an object");

    /// <summary>The property, which must be there with the given kind.</summary>
    private JsonElement Required(JsonElement element, string name, JsonValueKind kind, string problem) =>
        Optional(element, name, kind, problem) ?? throw Malformed(problem);

    /// <summary>The property of the given kind (any kind for Undefined), null when absent or null; another kind is malformed.</summary>
    private JsonElement? Optional(JsonElement element, string name, JsonValueKind kind, string problem)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return kind == JsonValueKind.Undefined || value.ValueKind == kind ? value : throw Malformed(problem);
    }

    private string? Text(JsonElement element, string name, bool required, string problem)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw Malformed(problem) : null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Malformed(problem);
        }
        var text = StringOf(value) ?? throw Unreadable($"a '{name}' holding");
        return !required || text.Length > 0 ? text : throw Malformed(problem);
    }

    /// <summary>
    /// A JSON string's text, or null when it has none: an escaped lone UTF-16 surrogate (<c>"\ud800"</c>) parses as
    /// JSON but is not text. BigQuery never answers one, so it is malformed (<see cref="Unreadable"/>), not retried.
    /// </summary>
    private static string? StringOf(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private GoogleApiException Unreadable(string holder) => Malformed($"has {holder} a string that is not valid Unicode (a lone UTF-16 surrogate)");

    /// <summary>An int64 figure, which BigQuery sends as a string of digits; null when absent.</summary>
    private long? Count(JsonElement element, string name) =>
        Text(element, name, required: false, $"has a {name} that is not a string") is { } text
            ? long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : throw Malformed($"has {name} '{Shorten(text)}', not a count")
            : null;

    private bool? Flag(JsonElement element, string name) =>
        Optional(element, name, JsonValueKind.Undefined, "") is not { } flag ? null : flag.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Malformed($"has a {name} that is {flag.ValueKind}, not true or false"),
        };

    private static string NameOf(Dictionary<string, int> columns, int index) => columns.First(c => c.Value == index).Key;

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}

/// <summary>What BigQuery says a query job spent; null where the answer does not say.</summary>
public sealed record JobStatistics(long? BytesProcessed, long? BytesBilled, long? SlotMs, bool? CacheHit)
{
    /// <summary>Every figure is known: no <c>jobs.get</c> is needed.</summary>
    public bool IsComplete => BytesProcessed is not null && BytesBilled is not null && SlotMs is not null && CacheHit is not null;

    /// <summary>These figures, each missing one taken from <paramref name="other"/>.</summary>
    public JobStatistics Or(JobStatistics other) =>
        new(BytesProcessed ?? other.BytesProcessed, BytesBilled ?? other.BytesBilled, SlotMs ?? other.SlotMs, CacheHit ?? other.CacheHit);
}
