using System.Globalization;
using System.Text;
using System.Text.Json;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>
/// The Phase 5 "predictions complete" message, validated. On the wire (trigger files, Pub/Sub, the tonight workflow's
/// signal) it is the snake_case JSON Phase 5 publishes; <see cref="ToJson"/> writes that form back.
/// </summary>
public sealed record PredictionsCompleteMessage(
    DateOnly GameDate,
    string Status,
    string CorrelationId,
    string? ExecutionId,
    string? BatchId,
    decimal? CompletionPct,
    long? CompletedPredictions,
    string? Timestamp)
{
    /// <summary>The largest message accepted, in UTF-8 bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>
    /// Parses the message JSON, or a Pub/Sub push body (<c>{"message": {"data": base64}}</c>) around it.
    /// Throws <see cref="InvalidExportRequestException"/> naming the first problem.
    /// </summary>
    public static PredictionsCompleteMessage Parse(string json)
    {
        // Phase 5 messages are under 1 KiB; a huge one is a mistake, and would exceed Temporal's payload limit.
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > MaxBytes)
        {
            throw Malformed($"{bytes} bytes is larger than the limit of {MaxBytes} bytes");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw Malformed($"not valid JSON ({ex.Message})");
        }
        catch (ArgumentException ex)
        {
            // Text that is not valid UTF-16, e.g. an unpaired surrogate read from a file.
            throw Malformed($"not valid text ({ex.Message})");
        }
        using (document)
        {
            try
            {
                return Parse(document.RootElement);
            }
            catch (InvalidOperationException ex)
            {
                // System.Text.Json refuses text it cannot represent, e.g. an unpaired UTF-16 surrogate.
                throw Malformed($"unreadable value ({ex.Message})");
            }
        }
    }

    private static PredictionsCompleteMessage Parse(JsonElement root)
    {
        if (PubSubPushBody.Data(root) is { } data)
        {
            string inner;
            try
            {
                inner = Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException)
            {
                throw Malformed("message.data is not base64");
            }
            return Parse(inner);
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"expected a JSON object, got {root.ValueKind}");
        }
        var gameDateText = RequiredString(root, "game_date");
        var gameDate = DateOnly.TryParseExact(gameDateText, ExportDates.Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw Malformed($"game_date '{Shown(gameDateText)}' is not a date YYYY-MM-DD");
        if (gameDate < ExportDates.Earliest || gameDate > ExportDates.Latest)
        {
            throw Malformed($"game_date {gameDateText} is outside {ExportDates.ToText(ExportDates.Earliest)}–{ExportDates.ToText(ExportDates.Latest)}");
        }
        var status = RequiredString(root, "status");
        var executionId = OptionalString(root, "execution_id");
        var correlationId = OptionalString(root, "correlation_id") ?? executionId ?? "unknown";
        OptionalInteger(root, "record_count");
        OptionalInteger(root, "records_failed");
        var timestamp = OptionalString(root, "timestamp");
        decimal? completion = null;
        long? completed = null;
        string? batchId = null;
        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind != JsonValueKind.Null)
        {
            if (metadata.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("metadata must be an object");
            }
            // The legacy coordinator path sends completion_pct, the Firestore path completion_percentage (P16).
            completion = OptionalNumber(metadata, "metadata.", "completion_pct") ?? OptionalNumber(metadata, "metadata.", "completion_percentage");
            completed = OptionalInteger(metadata, "completed_predictions", "metadata.") ?? OptionalInteger(metadata, "total_predictions", "metadata.");
            batchId = OptionalString(metadata, "batch_id", "metadata.");
            if (completion is < 0 or > 100)
            {
                throw Malformed($"metadata completion {completion} is outside 0–100");
            }
        }
        return new PredictionsCompleteMessage(gameDate, status, correlationId, executionId, batchId ?? executionId, completion, completed, timestamp);
    }

    /// <summary>The message as Phase 5 publishes it (snake_case); <see cref="Parse(string)"/> reads it back to an equal record.</summary>
    public string ToJson()
    {
        var metadata = new Dictionary<string, object?> { ["batch_id"] = BatchId, ["completion_pct"] = CompletionPct, ["completed_predictions"] = CompletedPredictions };
        var message = new Dictionary<string, object?>
        {
            ["game_date"] = ExportDates.ToText(GameDate),
            ["status"] = Status,
            ["correlation_id"] = CorrelationId,
            ["execution_id"] = ExecutionId,
            ["timestamp"] = Timestamp,
            ["metadata"] = metadata,
        };
        return JsonSerializer.Serialize(message);
    }

    public JsonElement ToJsonElement() => JsonDocument.Parse(ToJson()).RootElement.Clone();

    private static InvalidExportRequestException Malformed(string problem) => new($"malformed predictions-complete message: {problem}");

    private static string Shown(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private static string RequiredString(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Malformed($"{name} must be a string, got {v.ValueKind}")
            : throw Malformed($"{name} is missing");

    private static string? OptionalString(JsonElement o, string name, string path = "") =>
        !o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : throw Malformed($"{path}{name} must be a string, got {v.ValueKind}");

    private static long? OptionalInteger(JsonElement o, string name, string path = "") =>
        !o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw Malformed($"{path}{name} must be an integer, got {v}");

    private static decimal? OptionalNumber(JsonElement o, string path, string name) =>
        !o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        // Normalised (100.0 → 100): the same number reads the same whether a client wrote it as 100.0 or 100.
        : v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var n) ? n / 1.000000000000000000000000000000000m : throw Malformed($"{path}{name} must be a number, got {v}");
}

/// <summary>Accept or reject, with the reason recorded in the run's result.</summary>
public sealed record GuardDecision(bool Accepted, string Reason)
{
    public static GuardDecision Accept(string reason) => new(true, reason);

    public static GuardDecision Reject(string reason) => new(false, reason);
}

/// <summary>The original orchestrator's guards: status, completion ≥ 80 %, ≥ 10 active predictions of the published model.</summary>
public static class PredictionsCompleteGuard
{
    public const decimal MinCompletionPct = 80m;
    public const long MinPredictions = 10;
    private static readonly string[] AcceptedStatuses = ["success", "partial"];

    public static GuardDecision CheckMessage(PredictionsCompleteMessage message)
    {
        if (!AcceptedStatuses.Contains(message.Status, StringComparer.Ordinal))
        {
            return GuardDecision.Reject($"status '{message.Status}' is not success or partial");
        }
        if (message.CompletionPct is not { } completion)
        {
            return GuardDecision.Reject("no completion percentage (metadata.completion_pct or completion_percentage)");
        }
        return completion < MinCompletionPct
            ? GuardDecision.Reject($"completion {completion}% is below {MinCompletionPct}%")
            : GuardDecision.Accept($"status {message.Status}, completion {completion}%");
    }

    public static GuardDecision CheckPredictions(long activePredictions) => activePredictions < MinPredictions
        ? GuardDecision.Reject($"{activePredictions} active predictions in the warehouse, fewer than {MinPredictions}")
        : GuardDecision.Accept($"{activePredictions} active predictions");
}
