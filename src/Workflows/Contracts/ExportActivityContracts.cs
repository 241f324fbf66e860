using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExportFlows.Workflows.Contracts;

/// <summary>
/// The one argument of every export activity, native or external, exactly as <c>contracts/external-export/input.schema.json</c>
/// says: snake_case JSON that any SDK's default converter reads and writes unchanged. Dates and the clock are strings,
/// so the text on the wire is the text here (<c>requested_at</c> has six fractional digits and <c>+00:00</c>).
/// <paramref name="Options"/> holds the type's options from the catalog (e.g. <c>min_games</c>) and, when set, the
/// native exporters' <c>as_of</c>, <c>force</c> and <c>allow_empty</c>.
/// </summary>
public sealed record ExportActivityInput(
    [property: JsonPropertyName("export_type")] string ExportType,
    [property: JsonPropertyName("target_date")] string TargetDate,
    [property: JsonPropertyName("update_latest")] bool UpdateLatest,
    [property: JsonPropertyName("requested_at")] string RequestedAt,
    [property: JsonPropertyName("correlation_id")] string CorrelationId,
    [property: JsonPropertyName("trigger")] string Trigger,
    [property: JsonPropertyName("options")] IReadOnlyDictionary<string, JsonElement> Options)
{
    public const string AsOfOption = "as_of";
    public const string ForceOption = "force";
    public const string AllowEmptyOption = "allow_empty";

    public JsonElement? Option(string name) => Options.TryGetValue(name, out var value) ? value : null;

    /// <summary>The values this row's direct dependencies produced: row → name → value (absent when it depends on none).</summary>
    [JsonPropertyName("values"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>>? Values { get; init; }

    /// <summary>The run's built-in values every row may take (catalog <c>{ run = … }</c>).</summary>
    [JsonPropertyName("run"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ExportRunValues? Run { get; init; }
}

/// <summary>
/// Values of the run: <paramref name="StartedAt"/> (the run's clock, in <c>requested_at</c>'s format; one for every row of
/// the run, so a chain can share one version) and the workflow id.
/// </summary>
public sealed record ExportRunValues(
    [property: JsonPropertyName("started_at")] string StartedAt,
    [property: JsonPropertyName("workflow_id")] string WorkflowId);

/// <summary>
/// What an export activity returns (<c>output.schema.json</c>): the objects written (at most
/// <see cref="MaxListedObjects"/> listed; <paramref name="ObjectCount"/> is the total when more were written), or why
/// none was. <paramref name="Attempt"/> is set by native exporters.
/// </summary>
public sealed record ExportActivityResult(
    [property: JsonPropertyName("export_type")] string ExportType,
    [property: JsonPropertyName("objects")] IReadOnlyList<ExportActivityObject> Objects,
    [property: JsonPropertyName("skipped_reason")] string? SkippedReason)
{
    /// <summary>Keeps every result far below Temporal's payload limit (2 MB): about 100 KB of names at most.</summary>
    public const int MaxListedObjects = 1000;

    [JsonPropertyName("object_count"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ObjectCount { get; init; }

    [JsonPropertyName("attempt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Attempt { get; init; }

    /// <summary>What the export spent in the warehouse, where the exporter measures it (native exporters do).</summary>
    [JsonPropertyName("cost"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ExportCost? Cost { get; init; }

    /// <summary>Small named values for later rows (the row's catalog <c>values</c>), at most <see cref="MaxValuesBytes"/> of JSON.</summary>
    [JsonPropertyName("values"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, JsonElement>? Values { get; init; }

    /// <summary>A line for the report about what the export did (<c>rebuilt: the warehouse changed …</c>), at most <see cref="MaxNoteLength"/> characters.</summary>
    [JsonPropertyName("note"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }

    public const int MaxNoteLength = 2000;

    /// <summary>Values travel in the history of every later row: they stay small.</summary>
    public const int MaxValuesBytes = 32768;
}

/// <summary>One object written: its name relative to the bucket (<c>v1/…</c>, never a <c>gs://</c> URL), size and generation when known.</summary>
public sealed record ExportActivityObject(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("bytes")] long? Bytes,
    [property: JsonPropertyName("generation")] string? Generation);
