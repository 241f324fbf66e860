using System.Globalization;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>The tonight workflow's id carries its game date: <c>phase6-tonight-YYYY-MM-DD</c>.</summary>
public static class TonightWorkflowIds
{
    public const string Prefix = "phase6-tonight-";

    public static string For(DateOnly gameDate) => Prefix + ExportDates.ToText(gameDate);

    public static DateOnly? DateOf(string workflowId) =>
        workflowId.Length == Prefix.Length + ExportDates.Format.Length && workflowId.StartsWith(Prefix, StringComparison.Ordinal) &&
        DateOnly.TryParseExact(workflowId.AsSpan(Prefix.Length), ExportDates.Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date : null;

    /// <summary>
    /// The game date of a run: from the workflow id, or from the input when the id does not name one. Both given and
    /// different, or neither given, is an <see cref="InvalidExportRequestException"/>.
    /// </summary>
    public static DateOnly GameDate(string workflowId, TonightInput? input)
    {
        var fromId = DateOf(workflowId);
        DateOnly? fromInput = input is { GameDate: var d } && d != default ? d : null;
        if (fromId is { } a && fromInput is { } b && a != b)
        {
            throw new InvalidExportRequestException($"workflow id {workflowId} names {ExportDates.ToText(a)} but the input's game date is {ExportDates.ToText(b)}");
        }
        return fromId ?? fromInput ?? throw new InvalidExportRequestException(
            $"cannot tell the game date of workflow {workflowId}: start it with the id {Prefix}YYYY-MM-DD");
    }
}
