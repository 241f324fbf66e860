using Microsoft.Net.Http.Headers;

namespace ExportFlows.Worker.PubSub;

/// <summary>The push body's media type: <c>application/json</c>, parameters allowed, a charset only if it is UTF-8.</summary>
public static class PushContentType
{
    /// <summary>Null when the header names JSON the endpoint can read, else the reason to answer 415 with.</summary>
    public static string? Problem(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || !media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return "Content-Type must be application/json";
        }
        var charset = media.Charset.HasValue ? media.Charset.Value.Trim('"') : null;
        return charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            ? null : $"Content-Type charset must be utf-8, got {(charset.Length > 40 ? charset[..40] + "…" : charset)}";
    }
}
