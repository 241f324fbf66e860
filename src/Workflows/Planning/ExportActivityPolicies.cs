using Temporalio.Common;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Planning;

/// <summary>
/// Timeouts and retry policy of one export activity. <paramref name="MaximumAttempts"/> 0 means no limit but the
/// schedule-to-close budget. <paramref name="ScheduleToStart"/> is set for external exporters only: how long a task
/// may wait on the external queue for a worker before the export fails (no worker polling it is not a silent hang).
/// </summary>
public sealed record ExportActivityPolicy(
    TimeSpan StartToClose,
    TimeSpan ScheduleToClose,
    TimeSpan InitialInterval,
    double BackoffCoefficient,
    TimeSpan MaximumInterval,
    int MaximumAttempts,
    TimeSpan? Heartbeat = null,
    TimeSpan? ScheduleToStart = null)
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

    /// <summary>The options of an external exporter: on <paramref name="taskQueue"/>, with a schedule-to-start timeout.</summary>
    public ActivityOptions ToExternalActivityOptions(string summary, string taskQueue, TimeSpan? scheduleToStart = null)
    {
        var options = ToActivityOptions(summary);
        options.TaskQueue = taskQueue;
        options.ScheduleToStartTimeout = scheduleToStart ?? ScheduleToStart ?? ExportActivityPolicies.DefaultScheduleToStart;
        return options;
    }

    /// <summary>Temporal's backoff: the delay after failed attempt <paramref name="attempt"/> (1-based), capped at the maximum interval.</summary>
    public TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromTicks((long)Math.Min(MaximumInterval.Ticks, InitialInterval.Ticks * Math.Pow(BackoffCoefficient, attempt - 1)));

    /// <summary>Whether Temporal would run another attempt after failed attempt <paramref name="attempt"/>.</summary>
    public bool MayRetry(int attempt, TimeSpan elapsed, string? errorType, bool nonRetryable) =>
        !nonRetryable && !ExportErrorTypes.NonRetryable.Contains(errorType ?? "", StringComparer.Ordinal) &&
        (MaximumAttempts == 0 || attempt < MaximumAttempts) && elapsed + RetryDelay(attempt) < ScheduleToClose;
}

/// <summary>
/// The policies of the activities that are not exports (those come from each catalog row): the orchestrator's data
/// guard and a backfill span.
/// </summary>
public static class ExportActivityPolicies
{
    /// <summary>How long an external task waits for a worker unless its row or configuration says otherwise.</summary>
    public static readonly TimeSpan DefaultScheduleToStart = TimeSpan.FromMinutes(5);

    /// <summary>The orchestrator's data guard: one quick query.</summary>
    public static ExportActivityPolicy Guard { get; } = new(TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(2), 2.0, TimeSpan.FromSeconds(30), 5);

    /// <summary>
    /// A backfill span: up to 31 dates from one read per table. It heartbeats after every date, so a stuck worker is
    /// noticed within two minutes and a retried attempt resumes after the last finished date.
    /// </summary>
    public static ExportActivityPolicy Span { get; } =
        new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromSeconds(10), 2.0, TimeSpan.FromMinutes(2), 5, Heartbeat: TimeSpan.FromMinutes(2));
}
