using System.Text;
using System.Text.Json;

namespace ExportFlows.Worker.PubSub;

/// <summary>
/// A Pub/Sub push request body: <c>{"message": {"data": base64, "attributes": {…}, "messageId": "…", "publishTime": "…"},
/// "subscription": "…"}</c>. <see cref="TryParse"/> tells a body that is not a push envelope at all (a caller's
/// mistake, 400) from one whose message is bad (acknowledged and counted, so Pub/Sub does not redeliver it forever).
/// </summary>
public sealed record PushEnvelope(string MessageId, string Data, string? Subscription)
{
    public static PushEnvelope? TryParse(ReadOnlySpan<byte> body, out string problem)
    {
        problem = "";
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
            {
                problem = "not a Pub/Sub push envelope: no \"message\" object";
                return null;
            }
            var id = message.TryGetProperty("messageId", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()
                : message.TryGetProperty("message_id", out var m2) && m2.ValueKind == JsonValueKind.String ? m2.GetString() : null;
            if (string.IsNullOrWhiteSpace(id))
            {
                problem = "not a Pub/Sub push envelope: no message.messageId";
                return null;
            }
            var data = message.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "";
            var subscription = root.TryGetProperty("subscription", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            return new PushEnvelope(id, data, subscription);
        }
        catch (JsonException ex)
        {
            problem = $"body is not JSON: {ex.Message}";
            return null;
        }
    }

    /// <summary>The published message: base64 data decoded as UTF-8 (the Phase 5 JSON).</summary>
    public string DecodeData()
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(Data));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            throw new Workflows.Planning.InvalidExportRequestException($"message {MessageId}: data is not base64-encoded UTF-8 ({ex.Message})");
        }
    }
}
