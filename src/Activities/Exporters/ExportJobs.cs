using System.Globalization;
using System.Text.Json;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Activities.Exporters;

/// <summary>Between the activity contract (what every export activity takes and returns) and a native exporter's job and result.</summary>
public static class ExportJobs
{
    /// <summary>The job of a native row from the contract's input; the dates and the clock are the request's, never the machine's.</summary>
    public static ExportJob FromInput(ExportTypeRow row, ExportActivityInput input)
    {
        var target = ExportDates.Parse(input.TargetDate, "target_date");
        var asOf = input.Option(ExportActivityInput.AsOfOption) is { ValueKind: JsonValueKind.String } text
            ? ExportDates.Parse(text.GetString()!, "options.as_of")
            : target;
        if (!DateTimeOffset.TryParse(input.RequestedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var requestedAt))
        {
            throw new InvalidExportRequestException($"requested_at '{input.RequestedAt}' is not an ISO-8601 time");
        }
        return new ExportJob(
            row.Name,
            row.DateKind == ExportDateKind.TargetDate ? target : null,
            row.DateKind == ExportDateKind.AsOfDate ? asOf : null,
            requestedAt,
            input.CorrelationId,
            Flag(input, ExportActivityInput.ForceOption),
            Flag(input, ExportActivityInput.AllowEmptyOption))
        {
            SkipWhenInputsUnchanged = row.SkipWhenInputsUnchanged,
        };
    }

    /// <summary>The contract's result of a native export: the object written, or none and why.</summary>
    public static ExportActivityResult ToResult(ExportedObject written) => written.SkippedReason is { } reason
        ? new ExportActivityResult(written.Type, [], reason) { Attempt = written.Attempt, Cost = written.Cost }
        : new ExportActivityResult(written.Type, [new ExportActivityObject(written.ObjectName, written.Bytes, written.Generation)], null)
        {
            Attempt = written.Attempt,
            Cost = written.Cost,
            Note = written.RebuiltBecause is { } why ? "rebuilt: " + why : null,
        };

    private static bool Flag(ExportActivityInput input, string name) => input.Option(name) is { ValueKind: JsonValueKind.True };
}
