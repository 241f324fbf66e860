using System.Text.Json.Serialization;

namespace ExportFlows.Workflows.Scheduling;

/// <summary>
/// One thing that refreshes an export type: a schedule (<paramref name="Name"/> is its id) or an event (its name), with
/// the condition or form under which the event runs the type (<c>when status == "success"</c>, <c>players = true</c>,
/// <c>when a message lists it</c>), null when it always does.
/// </summary>
public sealed record ExportRefresher(ExportRefresherKind Kind, string Name, string? Condition = null)
{
    [JsonIgnore]
    public bool IsEvent => Kind != ExportRefresherKind.Schedule;

    /// <summary>As <c>status</c> and <c>schedules sync</c> print it: <c>phase6-daily-results</c>, <c>event: grading-complete (when …)</c>.</summary>
    public override string ToString() => !IsEvent ? Name : $"event: {Name}" + (Condition is null ? "" : $" ({Condition})");
}
