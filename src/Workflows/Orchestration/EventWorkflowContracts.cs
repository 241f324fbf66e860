using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Events;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>Optional start input of an event workflow; the event and date normally come from its id alone.</summary>
public sealed record EventWorkflowInput(string Event, DateOnly Date);

/// <summary>
/// One export run of an event workflow: the distinct request it ran, how many messages asked for it, what each entry
/// of the event decided (a skip names its false condition), and the child export's report.
/// </summary>
public sealed record EventRunRecord(
    int Number,
    string Status,
    string Reason,
    int Messages,
    string? CorrelationId,
    string? ChildWorkflowId,
    IReadOnlyList<EventRunDecision> Decisions,
    ExportReport? Report);

/// <summary>The runs of one event workflow execution, and the messages it refused.</summary>
public sealed record EventWorkflowResult(string Event, string Date, IReadOnlyList<EventRunRecord> Runs, IReadOnlyList<string> RefusedMessages);
