namespace ExportFlows.Workflows.Events;

/// <summary>
/// What an event's message asks for, read and checked: the date, the rows or groups to run, and the typed values
/// of the event's fields (JSON text by name; defaults applied), with the options a flag form sets.
/// </summary>
public sealed record EventRequest(string Event, DateOnly Date, IReadOnlyList<string> Types, IReadOnlyDictionary<string, string> Values)
{
    public IReadOnlyDictionary<string, long> Options { get; init; } = new Dictionary<string, long>();

    /// <summary>The message's <c>update_latest</c> when the event reads it, else true (the request's default).</summary>
    public bool UpdateLatest => !Values.TryGetValue("update_latest", out var v) || v != "false";

    /// <summary>The message's <c>correlation_id</c> when the event reads it (or defaults it), else null.</summary>
    public string? CorrelationId => Values.TryGetValue("correlation_id", out var v) && v.StartsWith('"')
        ? System.Text.Json.JsonSerializer.Deserialize<string>(v) : null;
}
