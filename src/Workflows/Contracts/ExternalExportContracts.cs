using System.Text.Json.Serialization;

namespace ExportFlows.Workflows.Contracts;

/// <summary>
/// The one argument of an external export activity, exactly as <c>contracts/external-export/input.schema.json</c>
/// says: snake_case JSON that any SDK's default converter reads and writes unchanged. Dates and the clock are
/// strings, so the text on the wire is the text here (<c>requested_at</c> has six fractional digits and <c>+00:00</c>).
/// </summary>
public sealed record ExternalExportInput(
    [property: JsonPropertyName("export_type")] string ExportType,
    [property: JsonPropertyName("target_date")] string TargetDate,
    [property: JsonPropertyName("update_latest")] bool UpdateLatest,
    [property: JsonPropertyName("requested_at")] string RequestedAt,
    [property: JsonPropertyName("correlation_id")] string CorrelationId,
    [property: JsonPropertyName("trigger")] string Trigger,
    [property: JsonPropertyName("options")] ExternalExportOptions Options);

/// <summary>Per-type options: <c>min_games</c> for player-profiles; absent (an empty object) for every other type.</summary>
public sealed record ExternalExportOptions(
    [property: JsonPropertyName("min_games"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MinGames = null);

/// <summary>What an external export activity returns (<c>output.schema.json</c>): every object written, or why none was.</summary>
public sealed record ExternalExportResult(
    [property: JsonPropertyName("export_type")] string ExportType,
    [property: JsonPropertyName("objects")] IReadOnlyList<ExternalExportObject> Objects,
    [property: JsonPropertyName("skipped_reason")] string? SkippedReason);

/// <summary>One object written: its name relative to the bucket (<c>v1/…</c>, never a <c>gs://</c> URL), size and generation when known.</summary>
public sealed record ExternalExportObject(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("bytes")] long? Bytes,
    [property: JsonPropertyName("generation")] string? Generation);
