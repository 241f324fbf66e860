using ExportFlows.Activities;
using ExportFlows.Activities.Catalog;
using ExportFlows.Activities.Exporters;
using ExportFlows.Worker.Engines;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Backfill;

/// <summary>
/// The backfill in this process: the same spans, span code, retry policy, heartbeat-style resume and ledger as
/// <c>Phase6BackfillWorkflow</c>, with a journal file in place of Temporal's history so a rerun resumes.
/// </summary>
public sealed class InProcessBackfill(SpanExportService spans, ExportActivities activities, IExportCatalogSource catalogs, ILogger<InProcessBackfill> logger)
{
    /// <summary>Waits between attempts; tests replace it to see the delays without waiting them.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = Task.Delay;

    public async Task<BackfillReport> RunAsync(
        BackfillInput input, IBackfillJournal journal, DateTimeOffset now, Action<BackfillProgress, BackfillDateOutcome?> progress, CancellationToken cancellationToken)
    {
        var from = ExportDates.Parse(input.From, "--from date");
        var to = ExportDates.Parse(input.To, "--to date");
        var catalog = catalogs.Current;
        var types = BackfillPlanner.ValidateTypes(catalog, input.Types, allowFixedPaths: true);
        await activities.VerifyTablesAsync(types.Select(catalog.Get), cancellationToken);
        var skip = new List<string>();
        if (!input.Force)
        {
            foreach (var date in BackfillPlanner.Dates(from, to))
            {
                if (await journal.SucceededAsync(date, types, cancellationToken))
                {
                    skip.Add(ExportDates.ToText(date));
                }
            }
        }
        var ledger = new BackfillLedger(input with { Skip = skip });
        var gate = new object();
        progress(ledger.Progress(), null);
        using var parallel = new SemaphoreSlim(input.ParallelSpans);
        var work = BackfillSpans.Split(ledger.ToDo(), input.SpanDays).Select(async span =>
        {
            await parallel.WaitAsync(cancellationToken);
            try
            {
                lock (gate)
                {
                    ledger.Started(span);
                }
                var request = new SpanExportRequest(types, ExportDates.ToText(span.From), ExportDates.ToText(span.To), now, input.Force, input.AllowEmpty);
                var (outcomes, complete, error) = await RunSpanAsync(request, done =>
                {
                    lock (gate)
                    {
                        ledger.Record(span, [done], complete: false);
                        progress(ledger.Progress(), done);
                    }
                }, cancellationToken);
                IReadOnlyList<BackfillDateOutcome> final;
                lock (gate)
                {
                    if (error is not null)
                    {
                        ledger.Record(span, outcomes, complete: false);
                        ledger.Fail(span, error.Message, error.ErrorType);
                    }
                    else
                    {
                        ledger.Record(span, outcomes, complete);
                    }
                    progress(ledger.Progress(), null);
                    final = ledger.OutcomesOf(span);
                }
                foreach (var outcome in final)
                {
                    await journal.RecordAsync(ExportDates.Parse(outcome.Date, "date"), types, outcome.Succeeded, CancellationToken.None);
                }
            }
            finally
            {
                parallel.Release();
            }
        }).ToList();
        try
        {
            await Task.WhenAll(work);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Spans not started yet stay out of the report; running ones recorded what they finished.
        }
        lock (gate)
        {
            return ledger.Report(cancellationToken.IsCancellationRequested, null);
        }
    }

    /// <summary>One span with the span policy: attempts resume after the last finished date, like a retried activity.</summary>
    private async Task<(IReadOnlyList<BackfillDateOutcome> Outcomes, bool Complete, ApplicationFailureException? Error)> RunSpanAsync(
        SpanExportRequest request, Action<BackfillDateOutcome> dateDone, CancellationToken cancellationToken)
    {
        SpanCheckpoint? checkpoint = null;
        var policy = ExportActivityPolicies.Span;
        var run = await PolicyAttempts.RunAsync(policy,
            (attempt, ct) => spans.ExportAsync(request, checkpoint, attempt, attempt >= policy.MaximumAttempts, done =>
            {
                checkpoint = done;
                dateDone(done.Outcomes[^1]);
            }, ct),
            Delay,
            (attempt, failure, delay) => logger.LogWarning("Span {From}..{To} attempt {Attempt} failed ({Error}); retrying in {Delay} after {Last}",
                request.From, request.To, attempt, failure.Message, delay, checkpoint?.LastFinished ?? "no finished date"),
            cancellationToken);
        return run.Failure is { } error
            ? (checkpoint?.Outcomes ?? [], true, error)
            : (run.Value!.Dates, !cancellationToken.IsCancellationRequested, null);
    }
}
