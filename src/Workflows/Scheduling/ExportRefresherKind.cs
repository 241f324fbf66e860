using System.Text.Json.Serialization;

namespace ExportFlows.Workflows.Scheduling;

/// <summary>How a refresher comes to run a type.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExportRefresherKind>))]
public enum ExportRefresherKind
{
    /// <summary>A Temporal Schedule of the catalog: on a clock.</summary>
    [JsonStringEnumMemberName("schedule")]
    Schedule,

    /// <summary>An event that runs the orchestrator's list (<c>runs_orchestrator</c>), through the date's tonight workflow.</summary>
    [JsonStringEnumMemberName("orchestrator")]
    Orchestrator,

    /// <summary>An event whose <c>runs</c> name the type, or a row or group that reaches it (maybe under a condition).</summary>
    [JsonStringEnumMemberName("runs")]
    Runs,

    /// <summary>An event's second form (<c>flag</c>), when its boolean field is true.</summary>
    [JsonStringEnumMemberName("flag")]
    Flag,

    /// <summary>An event that runs the types its message lists (<c>runs_from</c>): any type, when a publisher names it.</summary>
    [JsonStringEnumMemberName("listed")]
    Listed,
}
