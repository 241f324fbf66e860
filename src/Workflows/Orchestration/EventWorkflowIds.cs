using System.Globalization;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>An event workflow's id names its event and date: <c>phase6-event-EVENT-YYYY-MM-DD</c> (one workflow per event and date).</summary>
public static class EventWorkflowIds
{
    public const string Prefix = "phase6-event-";

    public static string For(string eventName, DateOnly date) => $"{Prefix}{eventName}-{ExportDates.ToText(date)}";

    /// <summary>The event and date an id names, or null when it is not an event workflow's id.</summary>
    public static (string Event, DateOnly Date)? Parse(string workflowId)
    {
        var dateLength = ExportDates.Format.Length;
        if (!workflowId.StartsWith(Prefix, StringComparison.Ordinal) || workflowId.Length < Prefix.Length + dateLength + 2 ||
            workflowId[^(dateLength + 1)] != '-' ||
            !DateOnly.TryParseExact(workflowId.AsSpan(workflowId.Length - dateLength), ExportDates.Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return null;
        }
        return (workflowId[Prefix.Length..^(dateLength + 1)], date);
    }
}
