using System.Diagnostics;
using ExportFlows.Activities.Subsets;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Exporters;

/// <summary>
/// Exports every date of a span: the date-keyed documents are built from one read per table for the whole span (at most
/// three queries), the others (performance, definitions; only with --allow-fixed-paths) per date. Each date is
/// checkpointed when it is done, so a retried attempt resumes after it. The backfill activity and the in-process
/// backfill both run this.
/// </summary>
public sealed class SpanExportService(IEnumerable<SubsetExporter> exporters, SubsetWarehouseReader reader, ExportSettings settings, ILogger<SpanExportService> logger)
{
    private readonly Dictionary<string, SubsetExporter> _exporters = exporters.ToDictionary(e => e.Implementation, StringComparer.Ordinal);

    /// <param name="checkpoint">Where a previous attempt stopped, or null.</param>
    /// <param name="lastAttempt">
    /// On the last attempt a retryable failure of one date is recorded as that date's failure instead of failing the
    /// span, so the dates after it still run and the report names the date.
    /// </param>
    /// <param name="onDateDone">Called with the new checkpoint after every date.</param>
    /// <returns>The outcome of every date of the span; fewer when cancelled (the rest were not started).</returns>
    public async Task<SpanExportResult> ExportAsync(
        SpanExportRequest request, SpanCheckpoint? checkpoint, int attempt, bool lastAttempt, Action<SpanCheckpoint> onDateDone, CancellationToken cancellationToken)
    {
        // A span's reads serve every type and date at once: their cost is counted as the type "backfill".
        using var meter = Warehouse.ExportCostMeter.Start();
        try
        {
            return await ExportSpanAsync(request, checkpoint, attempt, lastAttempt, onDateDone, cancellationToken);
        }
        finally
        {
            Telemetry.ExportMetrics.Spent("backfill", meter.Total);
        }
    }

    private async Task<SpanExportResult> ExportSpanAsync(
        SpanExportRequest request, SpanCheckpoint? checkpoint, int attempt, bool lastAttempt, Action<SpanCheckpoint> onDateDone, CancellationToken cancellationToken)
    {
        var span = new DateSpan(ExportDates.Parse(request.From, "span start"), ExportDates.Parse(request.To, "span end"));
        var catalog = settings.Catalog();
        var exporters = request.Types.Select(type => (Type: type, Exporter: Exporter(catalog, type))).ToList();
        var outcomes = new List<BackfillDateOutcome>(checkpoint?.Outcomes ?? []);
        var dates = BackfillSpans.Remaining(span, checkpoint);
        if (dates.Count == 0)
        {
            return new SpanExportResult(outcomes);
        }
        var watch = Stopwatch.StartNew();
        var needs = exporters.Select(e => e.Exporter).OfType<DateKeyedExporter>().Aggregate(SpanNeeds.None, (all, e) => all | e.Needs);
        var inputs = needs == SpanNeeds.None ? null : await reader.ReadSpanAsync(needs, dates[0], dates[^1], cancellationToken);
        logger.LogInformation("Span {Span}: read in {ElapsedMs} ms, exporting {Dates} date(s) of {Types} (attempt {Attempt})",
            span, watch.ElapsedMilliseconds, dates.Count, string.Join(",", request.Types), attempt);
        foreach (var date in dates)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Span {Span} cancelled after {Done} of {Dates} date(s)", span, outcomes.Count, span.Days);
                break;
            }
            BackfillDateOutcome outcome;
            try
            {
                outcome = await ExportDateAsync(request, exporters, inputs, date, attempt, lastAttempt, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Every document is written whole or not at all; the date is reported as interrupted.
                logger.LogWarning("Span {Span} cancelled during {Date}", span, ExportDates.ToText(date));
                break;
            }
            outcomes.Add(outcome);
            onDateDone(new SpanCheckpoint(outcome.Date, outcomes.ToList()));
        }
        logger.LogInformation("Span {Span} done in {ElapsedMs} ms: {Failed} date(s) failed", span, watch.ElapsedMilliseconds, outcomes.Count(o => !o.Succeeded));
        return new SpanExportResult(outcomes);
    }

    private async Task<BackfillDateOutcome> ExportDateAsync(
        SpanExportRequest request, IReadOnlyList<(string Type, SubsetExporter Exporter)> exporters, SpanInputs? inputs, DateOnly date, int attempt, bool lastAttempt, CancellationToken cancellationToken)
    {
        int written = 0, skipped = 0;
        var errors = new List<string>();
        string? errorType = null;
        foreach (var (exportType, exporter) in exporters)
        {
            var job = new ExportJob(exportType, date, exporter is DateKeyedExporter ? null : date, request.GeneratedAt, Force: request.Force, AllowEmpty: request.AllowEmpty);
            var watch = Stopwatch.StartNew();
            try
            {
                var document = exporter is DateKeyedExporter dateKeyed
                    ? dateKeyed.Build(date, request.GeneratedAt, inputs!)
                    : await exporter.BuildAsync(job, cancellationToken);
                var result = await exporter.PublishAsync(job, document, attempt, cancellationToken);
                if (result.SkippedReason is null)
                {
                    written++;
                }
                else
                {
                    skipped++;
                }
                Telemetry.ExportMetrics.Exported(exportType, result.SkippedReason is null ? "written" : "skipped", result.SkippedReason is null ? result.Bytes : 0, watch.Elapsed);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var type = ExportActivities.Classify(ex);
                Telemetry.ExportMetrics.Exported(exportType, "failed", 0, watch.Elapsed, type);
                if (!lastAttempt && !ExportErrorTypes.NonRetryable.Contains(type, StringComparer.Ordinal))
                {
                    throw;
                }
                logger.LogWarning("Backfill {Date} {ExportType} failed: {Error}", ExportDates.ToText(date), exportType, ex.Message);
                errors.Add($"{exportType}: {ex.Message}");
                errorType ??= type;
            }
        }
        return new BackfillDateOutcome(ExportDates.ToText(date), errors.Count == 0, written, skipped,
            errors.Count == 0 ? null : string.Join("; ", errors), errorType);
    }

    private SubsetExporter Exporter(ExportFlows.Workflows.Catalog.ExportCatalog catalog, string type) =>
        catalog.Get(type) is { IsExternal: false, Implementation: { } name } && _exporters.TryGetValue(name, out var exporter) ? exporter
            : throw new InvalidExportRequestException($"{type}: no native exporter serves it in this worker's catalog ({catalog.Fingerprint}); backfill it with its own exporter");
}
