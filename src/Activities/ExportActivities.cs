using ExportFlows.Activities.Catalog;
using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Activities;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace ExportFlows.Activities;

/// <summary>
/// The activities of the .NET worker. Every native export is one dynamic activity: its name (the catalog row's
/// <c>activity</c>, e.g. <c>ExportSubsetPicks</c>) finds the row in the worker's current catalog and the row names the
/// C# exporter, so a row added or renamed in the catalog needs no new build. The in-process engine calls the same
/// exporters. Every failure leaves as an <see cref="ApplicationFailureException"/> whose type says whether a retry
/// can help and whose details carry the attempt number.
/// </summary>
public sealed class ExportActivities(
    IEnumerable<SubsetExporter> exporters, SubsetWarehouseReader reader, IWarehouse warehouse, SpanExportService spans, ExportFlowsOptions options,
    IExportCatalogSource catalogs, ILogger<ExportActivities> logger)
{
    private readonly Dictionary<string, SubsetExporter> _exporters = exporters.ToDictionary(e => e.Implementation, StringComparer.Ordinal);

    /// <summary>Every native export activity: the contract's input and result (<c>contracts/external-export</c>), as external exporters take and return.</summary>
    [Activity(Dynamic = true)]
    public async Task<ExportActivityResult> ExportNativeAsync(IRawValue[] args)
    {
        var context = ActivityExecutionContext.Current;
        var activity = context.Info.ActivityType;
        ExportTypeRow row;
        ExportJob job;
        try
        {
            var input = args.Length == 1 ? context.PayloadConverter.ToValue<ExportActivityInput>(args[0]) : null;
            row = NativeRow(activity, input);
            job = ExportJobs.FromInput(row, input!);
        }
        catch (Exception ex) when (ex is InvalidExportRequestException or System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            logger.LogWarning("Activity {Activity} refused: {Error}", activity, ex.Message);
            throw ToFailure(ex as InvalidExportRequestException ?? new InvalidExportRequestException($"{activity}: the input breaks the contract ({ex.Message})"),
                context.Info.Attempt);
        }
        var written = await RunAsync(row, job);
        return ExportJobs.ToResult(written);
    }

    /// <summary>The native row of the worker's catalog that <paramref name="activity"/> serves for <paramref name="input"/>.</summary>
    private ExportTypeRow NativeRow(string activity, ExportActivityInput? input)
    {
        if (input is null || string.IsNullOrEmpty(input.ExportType))
        {
            throw new InvalidExportRequestException($"{activity} takes one argument, the export input of the contract (export_type, target_date, …)");
        }
        var catalog = catalogs.Current;
        var row = catalog.Find(input.ExportType)
            ?? throw new InvalidExportRequestException($"{activity}: this worker's catalog ({catalog.Source}, {catalog.Fingerprint}) has no type '{input.ExportType}'; deploy the same catalog to every worker");
        if (row.IsExternal || row.Activity != activity || row.Implementation is null)
        {
            throw new InvalidExportRequestException(
                $"{activity}: in this worker's catalog ({catalog.Fingerprint}) '{row.Name}' is {(row.IsExternal ? "external" : $"served by {row.Activity}")}; deploy the same catalog to every worker");
        }
        return row;
    }

    /// <summary>
    /// A backfill span: every date of the request from one read per table. Heartbeats the checkpoint after every date
    /// (and while reading), and resumes after the checkpoint of a previous attempt.
    /// </summary>
    [Activity(ExportActivityNames.ExportDateSpan)]
    public async Task<SpanExportResult> ExportDateSpanAsync(SpanExportRequest request)
    {
        var context = ActivityExecutionContext.Current;
        var attempt = context.Info.Attempt;
        var checkpoint = context.Info.HeartbeatDetails.Count > 0 ? await context.Info.HeartbeatDetailAtAsync<SpanCheckpoint>(0) : null;
        if (checkpoint is not null)
        {
            logger.LogInformation("Span {From}..{To} attempt {Attempt} resumes after {Date}", request.From, request.To, attempt, checkpoint.LastFinished);
        }
        var latest = checkpoint;
        try
        {
            return await WithHeartbeatsAsync(context, () => latest, async () =>
            {
                var result = await spans.ExportAsync(request, checkpoint, attempt, attempt >= ExportActivityPolicies.Span.MaximumAttempts, done =>
                {
                    latest = done;
                    // After the span's last date the completion carries everything; a heartbeat then would only reach
                    // the server after the completion ("heartbeat failed: unknown activity" warnings on the worker).
                    if (done.LastFinished != request.To)
                    {
                        context.Heartbeat(done);
                    }
                }, context.CancellationToken);
                // A partial result answers the workflow's cancellation; stopped for any other reason (worker shutdown,
                // timeout) the attempt fails, and the retry resumes after the last heartbeat.
                if (context.CancellationToken.IsCancellationRequested && context.CancelReason != ActivityCancelReason.CancelRequested)
                {
                    throw new OperationCanceledException($"span {request.From}..{request.To} stopped: {context.CancelReason}");
                }
                return result;
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailure(ex, "Span {From}..{To} failed on attempt {Attempt} ({ErrorType}): {Error}", request.From, request.To, attempt, Classify(ex), ex.Message);
            throw ToFailure(ex, attempt);
        }
    }

    /// <summary>Runs <paramref name="body"/> while heartbeating in the background (with <paramref name="latest"/> as details).</summary>
    private static async Task<T> WithHeartbeatsAsync<T>(ActivityExecutionContext context, Func<object?> latest, Func<Task<T>> body)
    {
        using var stopBeat = new CancellationTokenSource();
        var beat = KeepHeartbeatingAsync(context, latest, stopBeat.Token);
        try
        {
            return await body();
        }
        finally
        {
            await stopBeat.CancelAsync();
            await beat;
        }
    }

    /// <summary>Heartbeats while an activity runs, so a live attempt is never timed out and a cancellation reaches it.</summary>
    private static async Task KeepHeartbeatingAsync(ActivityExecutionContext context, Func<object?> latest, CancellationToken stop)
    {
        if (context.Info.HeartbeatTimeout is not { } timeout || timeout <= TimeSpan.Zero)
        {
            return;
        }
        var every = timeout / 3;
        try
        {
            while (true)
            {
                await Task.Delay(every, stop);
                if (latest() is { } checkpoint)
                {
                    context.Heartbeat(checkpoint);
                }
                else
                {
                    context.Heartbeat();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the span is done.
        }
    }

    /// <summary>The worker's configuration that workflows must honour: the catalog in use, the types enabled and switched off.</summary>
    [Activity(ExportActivityNames.GetExportConfiguration)]
    public ExportConfiguration GetExportConfiguration() => options.ToConfiguration(catalogs.Current);

    /// <summary>Active predictions of the published model for a date: the orchestrator's data guard.</summary>
    [Activity(ExportActivityNames.CountActivePredictions)]
    public async Task<long> CountActivePredictionsAsync(DateOnly gameDate)
    {
        try
        {
            return await reader.CountActivePredictionsAsync(gameDate, CurrentCancellation);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw ToFailure(ex, CurrentAttempt);
        }
    }

    /// <summary>Checks that every table the given export types read exists with its columns.</summary>
    public Task VerifyTablesAsync(IEnumerable<ExportTypeRow> rows, CancellationToken cancellationToken) =>
        warehouse.VerifyTablesAsync(rows.SelectMany(r => Exporter(r, 1).RequiredTables).Distinct(), cancellationToken);

    /// <summary>Runs the exporter of <paramref name="row"/> for <paramref name="job"/> as the current activity attempt, heartbeating.</summary>
    public async Task<ExportedObject> RunAsync(ExportTypeRow row, ExportJob job)
    {
        if (!ActivityExecutionContext.HasCurrent)
        {
            return await RunAsync(row, job, 1, CancellationToken.None);
        }
        var context = ActivityExecutionContext.Current;
        return await WithHeartbeatsAsync(context, () => null, () => RunAsync(row, job, context.Info.Attempt, context.CancellationToken));
    }

    /// <summary>Runs the exporter of <paramref name="row"/> for <paramref name="job"/>; the in-process engine's entry point.</summary>
    public async Task<ExportedObject> RunAsync(ExportTypeRow row, ExportJob job, int attempt, CancellationToken cancellationToken)
    {
        var type = row.Name;
        if (job.Type != type)
        {
            throw ToFailure(new InvalidExportRequestException($"job of type '{job.Type}' sent to the {type} activity"), attempt);
        }
        var exporter = Exporter(row, attempt);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var written = await exporter.ExportAsync(job, attempt, cancellationToken);
            Telemetry.ExportMetrics.Exported(type, written.SkippedReason is null ? "written" : "skipped", written.SkippedReason is null ? written.Bytes : 0, watch.Elapsed);
            return written;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailure(ex, "Export {ExportType} failed on attempt {Attempt} ({ErrorType}): {Error}", type, attempt, Classify(ex), ex.Message);
            Telemetry.ExportMetrics.Exported(type, "failed", 0, watch.Elapsed, Classify(ex));
            throw ToFailure(ex, attempt);
        }
    }

    private SubsetExporter Exporter(ExportTypeRow row, int attempt) =>
        row.Implementation is { } name && _exporters.TryGetValue(name, out var exporter) ? exporter
            : throw ToFailure(new InvalidExportRequestException($"{row.Name}: no native exporter '{row.Implementation}' is registered in this build; set the row's kind to external"), attempt);

    /// <summary>
    /// A failure of a known kind (missing table, API error, bad data…) is logged as one line: its message says what to
    /// do. Only an unexpected exception is logged with its stack trace, since that one is a bug to report.
    /// </summary>
    private void LogFailure(Exception ex, string message, params object?[] args)
    {
#pragma warning disable CA2254 // The templates are the two constant ones above.
        if (IsExpected(ex))
        {
            logger.LogWarning(message, args);
        }
        else
        {
            logger.LogError(ex, message, args);
        }
#pragma warning restore CA2254
    }

    /// <summary>Whether <paramref name="ex"/> is a failure of a kind ExportFlows names (see <see cref="Classify"/>), not a bug.</summary>
    public static bool IsExpected(Exception ex) => ex is ApplicationFailureException || Classify(ex) != ex.GetType().Name;

    private static int CurrentAttempt => ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.Info.Attempt : 1;

    private static CancellationToken CurrentCancellation =>
        ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : CancellationToken.None;

    /// <summary>The failure type recorded for <paramref name="ex"/>; see <see cref="ExportErrorKinds"/>.</summary>
    public static string Classify(Exception ex) => ExportErrorKinds.ErrorType(ex);

    private static ApplicationFailureException ToFailure(Exception ex, int attempt) => ex as ApplicationFailureException
        ?? new ApplicationFailureException(ex.Message, ex, Classify(ex), nonRetryable: false, details: [attempt]);
}
