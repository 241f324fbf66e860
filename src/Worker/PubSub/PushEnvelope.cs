using System.Globalization;
using System.Text;
using System.Text.Json;
using ExportFlows.Workflows.Orchestration;

namespace ExportFlows.Worker.PubSub;

/// <summary>
/// A Pub/Sub push request body: <c>{"message": {"data": base64, "attributes": {…}, "messageId": "…", "publishTime": "…"},
/// "subscription": "…"}</c>. <see cref="TryParse"/> tells a body that is not a push envelope at all (a caller's
/// mistake, 400) from one whose message is bad (acknowledged and counted, so Pub/Sub does not redeliver it forever).
/// Every field Pub/Sub defines is checked for its type and for readable text before anything is used.
/// </summary>
public sealed record PushEnvelope(string MessageId, string Data, string? Subscription)
{
    /// <summary>Pub/Sub message ids are decimal numbers of about 16 digits; anything far longer is not one.</summary>
    public const int MaxMessageIdLength = 256;

    public static PushEnvelope? TryParse(ReadOnlySpan<byte> body, out string problem)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException ex)
        {
            problem = $"body is not JSON: {ex.Message}";
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (JsonText.FindUnreadable(root) is { } path)
            {
                problem = $"not a valid push envelope: {path} is not valid Unicode text (an unpaired UTF-16 surrogate)";
                return null;
            }
            problem = Check(root, out var envelope);
            return envelope;
        }
    }

    private static string Check(JsonElement root, out PushEnvelope? envelope)
    {
        envelope = null;
        if (PubSubPushBody.Message(root) is not { } message)
        {
            return "not a Pub/Sub push envelope: no \"message\" object";
        }
        var (id, idProblem) = OptionalString(message, "message.", "messageId") ?? OptionalString(message, "message.", "message_id") ?? (null, null);
        if (idProblem is not null)
        {
            return idProblem;
        }
        if (string.IsNullOrWhiteSpace(id))
        {
            return "not a Pub/Sub push envelope: no message.messageId";
        }
        if (id.Length > MaxMessageIdLength || id.Any(char.IsControl))
        {
            return $"not a Pub/Sub push envelope: message.messageId is not an id (over {MaxMessageIdLength} characters or control characters)";
        }
        var (data, dataProblem) = OptionalString(message, "message.", "data") ?? (null, null);
        var (publishTime, timeProblem) = OptionalString(message, "message.", "publishTime") ?? (null, null);
        var (subscription, subscriptionProblem) = OptionalString(root, "", "subscription") ?? (null, null);
        if ((dataProblem ?? timeProblem ?? subscriptionProblem ?? AttributesProblem(message)) is { } fieldProblem)
        {
            return fieldProblem;
        }
        if (publishTime is not null && !DateTimeOffset.TryParse(publishTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            return "not a Pub/Sub push envelope: message.publishTime is not a timestamp";
        }
        envelope = new PushEnvelope(id, data ?? "", subscription);
        return "";
    }

    /// <summary>(value, null) when the field is a string, (null, problem) when it is something else, null when absent.</summary>
    private static (string? Value, string? Problem)? OptionalString(JsonElement parent, string path, string name) =>
        !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? (value.GetString(), null)
        : (null, $"not a Pub/Sub push envelope: {path}{name} must be a string, got {value.ValueKind}");

    private static string? AttributesProblem(JsonElement message)
    {
        if (!message.TryGetProperty("attributes", out var attributes) || attributes.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (attributes.ValueKind != JsonValueKind.Object)
        {
            return $"not a Pub/Sub push envelope: message.attributes must be an object, got {attributes.ValueKind}";
        }
        return attributes.EnumerateObject().Any(a => a.Value.ValueKind != JsonValueKind.String)
            ? "not a Pub/Sub push envelope: every message.attributes value must be a string"
            : null;
    }

    /// <summary>The published message as its UTF-8 bytes (the Phase 5 JSON, exactly as published).</summary>
    public byte[] DecodeDataBytes()
    {
        try
        {
            var bytes = Convert.FromBase64String(Data);
            _ = StrictUtf8.GetCharCount(bytes);
            return bytes;
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            throw new Workflows.Planning.InvalidExportRequestException($"message {MessageId}: data is not base64-encoded UTF-8 ({ex.Message})");
        }
    }

    /// <summary>The published message: base64 data decoded as UTF-8 (the Phase 5 JSON).</summary>
    public string DecodeData() => StrictUtf8.GetString(DecodeDataBytes());

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
}
