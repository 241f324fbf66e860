using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>
/// Backfills a range of dates as one durable job: the range is cut into spans of consecutive dates, each exported by one
/// activity from one read per table, a few spans at a time. A failed span is retried from its last heartbeat; a span that
/// fails for good fails its dates and the others go on. The workflow continues as new before its history grows large,
/// answers <see cref="Progress"/>, and on cancellation ends with the report of what was written.
/// </summary>
[Workflow]
public class Phase6BackfillWorkflow
{
    /// <summary>
    /// Marks executions that end a cancelled backfill as failed (<c>BackfillCancelled</c>, the report as details), so
    /// the UI shows it as not finished; executions recorded before it completed with the report and replay that way.
    /// </summary>
    public const string CancelledFailsPatch = "backfill-cancelled-fails";

    /// <summary>
    /// Marks executions that check their types against the worker's catalog (read through the configuration local
    /// activity); executions recorded before it checked them against the shipped one and replay that way.
    /// </summary>
    public const string CatalogPatch = "backfill-catalog";

    private BackfillLedger? _ledger;

    [WorkflowQuery]
    public BackfillProgress Progress() => _ledger?.Progress() ?? new BackfillProgress(0, 0, 0, 0, [], 0);

    [WorkflowRun]
    public async Task<BackfillReport> RunAsync(BackfillInput input)
    {
        var catalog = Workflow.Patched(CatalogPatch) ? (await ExportConfiguration.ReadAsync()).EffectiveCatalog : ExportCatalog.Recorded;
        var types = Validate(catalog, input);
        var ledger = _ledger = new BackfillLedger(input);
        Workflow.UpsertTypedSearchAttributes(
            ExportSearchAttributes.ExportTypes.ValueSet(types.ToList()),
            ExportSearchAttributes.ExportTrigger.ValueSet("backfill"),
            ExportSearchAttributes.ExportDate.ValueSet(input.From));

        var pending = new Queue<DateSpan>(BackfillSpans.Split(ledger.ToDo(), input.SpanDays));
        Workflow.Logger.LogInformation("Backfill {From}..{To} of {Types}: {Spans} span(s) to run in run {Run}",
            input.From, input.To, string.Join(",", types), pending.Count, ledger.Runs);
        var running = new Dictionary<Task<SpanExportResult?>, DateSpan>();
        var started = 0;
        while (pending.Count > 0 || running.Count > 0)
        {
            while (running.Count < input.ParallelSpans && pending.Count > 0 && !Cancelled && !TimeToContinueAsNew(started, input))
            {
                var span = pending.Dequeue();
                ledger.Started(span);
                running[RunSpanAsync(span, input, types)] = span;
                started++;
            }
            if (running.Count == 0)
            {
                break;
            }
            var finished = await Workflow.WhenAnyAsync(running.Keys);
            var done = running[finished];
            running.Remove(finished);
            if (await finished is { } result)
            {
                ledger.Record(done, result.Dates, complete: !Cancelled);
            }
        }
        if (Cancelled)
        {
            // Running spans have answered their cancellation; what they finished is recorded, the rest is reported interrupted.
            var cancelled = ledger.Report(cancelled: true, Workflow.Info.WorkflowId);
            Workflow.Logger.LogWarning("Backfill cancelled: {Summary}", cancelled.Summary());
            if (Workflow.Patched(CancelledFailsPatch))
            {
                throw new ApplicationFailureException(cancelled.Summary(), ExportErrorTypes.BackfillCancelled, nonRetryable: true, details: [cancelled]);
            }
            return cancelled;
        }
        if (pending.Count > 0)
        {
            var next = input with { Carried = ledger.State };
            throw Workflow.CreateContinueAsNewException((Phase6BackfillWorkflow wf) => wf.RunAsync(next));
        }
        var report = ledger.Report(cancelled: false, Workflow.Info.WorkflowId);
        Workflow.Logger.LogInformation("{Summary}", report.Summary());
        return report;
    }

    private static bool Cancelled => Workflow.CancellationToken.IsCancellationRequested;

    private static bool TimeToContinueAsNew(int started, BackfillInput input) =>
        started >= input.SpansPerRun || Workflow.ContinueAsNewSuggested;

    /// <summary>The span's outcomes; a span that failed for good is recorded as failed dates here, so one span never stops the others.</summary>
    private async Task<SpanExportResult?> RunSpanAsync(DateSpan span, BackfillInput input, IReadOnlyList<string> types)
    {
        var request = new SpanExportRequest(types, ExportDates.ToText(span.From), ExportDates.ToText(span.To), Workflow.UtcNow, input.Force, input.AllowEmpty);
        var options = ExportActivityPolicies.Span.ToActivityOptions($"backfill {span}");
        options.CancellationType = ActivityCancellationType.WaitCancellationCompleted;
        try
        {
            return await Workflow.ExecuteActivityAsync<SpanExportResult>(ExportActivityNames.ExportDateSpan, [request], options);
        }
        catch (ActivityFailureException ex) when (Cancelled && TemporalException.IsCanceledException(ex))
        {
            // Interrupted: the ledger keeps the span's dates as running, so the report lists them as interrupted.
            return null;
        }
        catch (ActivityFailureException ex)
        {
            var cause = ex.InnerException as ApplicationFailureException;
            Workflow.Logger.LogWarning("Backfill span {Span} failed: {Error}", span, cause?.Message ?? ex.InnerException?.Message ?? ex.Message);
            _ledger!.Fail(span, cause?.Message ?? ex.InnerException?.Message ?? ex.Message, cause?.ErrorType ?? ex.InnerException?.GetType().Name);
            return null;
        }
    }

    private static IReadOnlyList<string> Validate(ExportCatalog catalog, BackfillInput input)
    {
        try
        {
            var from = ExportDates.Parse(input.From, "from date");
            var to = ExportDates.Parse(input.To, "to date");
            BackfillPlanner.Dates(from, to);
            BackfillSpans.Split([from], input.SpanDays);
            if (input.ParallelSpans is < 1 or > 16 || input.SpansPerRun < 1)
            {
                throw new InvalidExportRequestException($"parallel spans {input.ParallelSpans} (1..16) or spans per run {input.SpansPerRun} (≥ 1) out of range");
            }
            return BackfillPlanner.ValidateTypes(catalog, input.Types, allowFixedPaths: true);
        }
        catch (InvalidExportRequestException ex)
        {
            throw new ApplicationFailureException(ex.Message, ExportErrorTypes.InvalidRequest, nonRetryable: true);
        }
    }
}
