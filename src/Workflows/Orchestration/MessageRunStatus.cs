namespace ExportFlows.Workflows.Orchestration;

/// <summary>What became of a run a message started (tonight and event workflows): exported, rejected by a guard, or failed.</summary>
public static class MessageRunStatus
{
    public const string Exported = "exported";
    public const string Rejected = "rejected";
    public const string Failed = "failed";
}
