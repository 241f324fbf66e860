using System.Text.Json;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>
/// The one place that looks inside a Pub/Sub push body, <c>{"message": {"data": base64, …}, "subscription": …}</c>:
/// the push endpoint's envelope check and the message parsers that accept a push body around a message all use it.
/// </summary>
public static class PubSubPushBody
{
    /// <summary>The body's <c>message</c> object, or null when the body is not a push body.</summary>
    public static JsonElement? Message(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
            ? message : null;

    /// <summary>The base64 text of <c>message.data</c> when it is a string, or null when the body does not carry one.</summary>
    public static string? Data(JsonElement body) =>
        Message(body) is { } message && message.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.String
            ? data.GetString() : null;
}
