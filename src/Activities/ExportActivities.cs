using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Google;
using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace ExportFlows.Activities;

/// <summary>
/// The export activities: one per exporter, named for the UI. The in-process engine calls the same methods.
/// Every failure leaves as an <see cref="ApplicationFailureException"/> whose type says whether a retry can help
/// and whose details carry the attempt number.
/// </summary>
public sealed class ExportActivities(
    IEnumerable<SubsetExporter> exporters, SubsetWarehouseReader reader, IWarehouse warehouse, SpanExportService spans, ExportFlowsOptions options, ILogger<ExportActivities> logger)
{
    private readonly Dictionary<string, SubsetExporter> _exporters = exporters.ToDictionary(e => e.ExportType, StringComparer.Ordinal);

    [Activity(ExportActivityNames.SubsetPicks)]
    public Task<ExportedObject> ExportSubsetPicksAsync(ExportJob job) => RunAsync(ExportTypeCatalog.SubsetPicks, job);

    [Activity(ExportActivityNames.DailySignals)]
    public Task<ExportedObject> ExportDailySignalsAsync(ExportJob job) => RunAsync(ExportTypeCatalog.DailySignals, job);

    [Activity(ExportActivityNames.SubsetPerformance)]
    public Task<ExportedObject> ExportSubsetPerformanceAsync(ExportJob job) => RunAsync(ExportTypeCatalog.SubsetPerformance, job);

    [Activity(ExportActivityNames.SubsetDefinitions)]
    public Task<ExportedObject> ExportSubsetDefinitionsAsync(ExportJob job) => RunAsync(ExportTypeCatalog.SubsetDefinitions, job);

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

    /// <summary>The worker's configuration that workflows must honour: export types switched off.</summary>
    [Activity(ExportActivityNames.GetExportConfiguration)]
    public ExportConfiguration GetExportConfiguration() => options.ToConfiguration();

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
    public Task VerifyTablesAsync(IEnumerable<string> types, CancellationToken cancellationToken) =>
        warehouse.VerifyTablesAsync(types.SelectMany(t => _exporters[t].RequiredTables).Distinct(), cancellationToken);

    /// <summary>Runs the exporter of <paramref name="type"/> for <paramref name="job"/> as the current activity attempt, heartbeating.</summary>
    public async Task<ExportedObject> RunAsync(string type, ExportJob job)
    {
        if (!ActivityExecutionContext.HasCurrent)
        {
            return await RunAsync(type, job, 1, CancellationToken.None);
        }
        var context = ActivityExecutionContext.Current;
        return await WithHeartbeatsAsync(context, () => null, () => RunAsync(type, job, context.Info.Attempt, context.CancellationToken));
    }

    /// <summary>Runs the exporter of <paramref name="type"/> for <paramref name="job"/>; the in-process engine's entry point.</summary>
    public async Task<ExportedObject> RunAsync(string type, ExportJob job, int attempt, CancellationToken cancellationToken)
    {
        if (job.Type != type)
        {
            throw ToFailure(new InvalidExportRequestException($"job of type '{job.Type}' sent to the {type} activity"), attempt);
        }
        if (!_exporters.TryGetValue(type, out var exporter))
        {
            throw ToFailure(new InvalidExportRequestException(ExportTypeCatalog.GetImplemented(type).Name + " has no exporter registered"), attempt);
        }
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

    public static string Classify(Exception ex) => ex switch
    {
        InvalidExportRequestException => ExportErrorTypes.InvalidRequest,
        ContractViolationException => ExportErrorTypes.ContractViolation,
        MissingTableException => ExportErrorTypes.MissingTable,
        GoogleCredentialsException => ExportErrorTypes.Credentials,
        InvalidObjectNameException => ExportErrorTypes.InvalidObjectName,
        EmptyInputException => ExportErrorTypes.EmptyInput,
        StoreNotWritableException => ExportErrorTypes.StoreNotWritable,
        StoreLinkOutsideRootException => ExportErrorTypes.StoreLinkOutsideRoot,
        StoreFullException => ExportErrorTypes.StoreFull,
        StoreLockedException => ExportErrorTypes.StoreLocked,
        InvalidWarehouseDataException => ExportErrorTypes.InvalidWarehouseData,
        QueryOverBudgetException => ExportErrorTypes.QueryOverBudget,
        GoogleApiException { Retryable: false } => ExportErrorTypes.ApiRejected,
        GoogleApiException => ExportErrorTypes.ApiUnavailable,
        WarehouseException => ExportErrorTypes.Warehouse,
        _ => ex.GetType().Name,
    };

    private static ApplicationFailureException ToFailure(Exception ex, int attempt) => ex as ApplicationFailureException
        ?? new ApplicationFailureException(ex.Message, ex, Classify(ex), nonRetryable: false, details: [attempt]);
}
