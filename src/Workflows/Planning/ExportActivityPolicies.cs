using Temporalio.Common;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Planning;

/// <summary>Timeouts and retry policy of one export activity.</summary>
public sealed record ExportActivityPolicy(
    TimeSpan StartToClose,
    TimeSpan ScheduleToClose,
    TimeSpan InitialInterval,
    double BackoffCoefficient,
    TimeSpan MaximumInterval,
    int MaximumAttempts,
    TimeSpan? Heartbeat = null)
{
    public ActivityOptions ToActivityOptions(string summary) => new()
    {
        StartToCloseTimeout = StartToClose,
        HeartbeatTimeout = Heartbeat,
        ScheduleToCloseTimeout = ScheduleToClose,
        Summary = summary,
        RetryPolicy = new RetryPolicy
        {
            InitialInterval = InitialInterval,
            BackoffCoefficient = (float)BackoffCoefficient,
            MaximumInterval = MaximumInterval,
            MaximumAttempts = MaximumAttempts,
            NonRetryableErrorTypes = ExportErrorTypes.NonRetryable,
        },
    };

    /// <summary>Temporal's backoff: the delay after failed attempt <paramref name="attempt"/> (1-based), capped at the maximum interval.</summary>
    public TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromTicks((long)Math.Min(MaximumInterval.Ticks, InitialInterval.Ticks * Math.Pow(BackoffCoefficient, attempt - 1)));

    /// <summary>Whether Temporal would run another attempt after failed attempt <paramref name="attempt"/>.</summary>
    public bool MayRetry(int attempt, TimeSpan elapsed, string? errorType, bool nonRetryable) =>
        !nonRetryable && !ExportErrorTypes.NonRetryable.Contains(errorType ?? "", StringComparer.Ordinal) &&
        attempt < MaximumAttempts && elapsed + RetryDelay(attempt) < ScheduleToClose;
}

/// <summary>
/// One table of every export activity's options. The date-keyed exports are small and time-critical (picks go out
/// right after predictions), so they retry soon and often; performance reads the whole season and gets more time.
/// The adapters already retry single HTTP calls; these retries cover a whole failed export. Every export heartbeats
/// (every third of its heartbeat timeout), so a worker that dies mid-export is noticed within that timeout instead of
/// the start-to-close one, and a cancellation reaches the running export.
/// </summary>
public static class ExportActivityPolicies
{
    public static IReadOnlyDictionary<string, ExportActivityPolicy> Table { get; } = new Dictionary<string, ExportActivityPolicy>(StringComparer.Ordinal)
    {
        [ExportTypeCatalog.SubsetPicks] = new(TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(5), 2.0, TimeSpan.FromMinutes(1), 6, Heartbeat: TimeSpan.FromSeconds(30)),
        [ExportTypeCatalog.DailySignals] = new(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), 2.0, TimeSpan.FromMinutes(1), 6, Heartbeat: TimeSpan.FromSeconds(30)),
        [ExportTypeCatalog.SubsetPerformance] = new(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(45), TimeSpan.FromSeconds(15), 2.0, TimeSpan.FromMinutes(5), 4, Heartbeat: TimeSpan.FromMinutes(1)),
        [ExportTypeCatalog.SubsetDefinitions] = new(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(10), 2.0, TimeSpan.FromMinutes(2), 5, Heartbeat: TimeSpan.FromSeconds(30)),
    };

    /// <summary>The orchestrator's data guard: one quick query.</summary>
    public static ExportActivityPolicy Guard { get; } = new(TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(2), 2.0, TimeSpan.FromSeconds(30), 5);

    /// <summary>
    /// A backfill span: up to 31 dates from one read per table. It heartbeats after every date, so a stuck worker is
    /// noticed within two minutes and a retried attempt resumes after the last finished date.
    /// </summary>
    public static ExportActivityPolicy Span { get; } =
        new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromSeconds(10), 2.0, TimeSpan.FromMinutes(2), 5, Heartbeat: TimeSpan.FromMinutes(2));

    public static ExportActivityPolicy For(string type) =>
        Table.TryGetValue(type, out var policy) ? policy : throw new InvalidExportRequestException(ExportTypeCatalog.NotImplementedMessage(type));
}
