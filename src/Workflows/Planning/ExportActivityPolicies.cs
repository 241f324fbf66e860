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
/// One table of every export activity's options. The date-keyed subset exports are small and time-critical (picks go
/// out right after predictions), so they retry soon and often; performance reads the whole season and gets more time.
/// External exporters retry until their schedule-to-close budget (a <c>NotReady</c> pre-flight waits for the data that
/// way), except live scores, which run every 3 minutes: the next run is the retry. tonight-players and player-profiles
/// write hundreds of objects (the original's tonight-players took 400–600 s for 200+ players): long start-to-close,
/// and the heartbeat notices a dead worker within a minute. Every export heartbeats (every third of its heartbeat
/// timeout), so a worker that dies mid-export is noticed within that timeout and a cancellation reaches the export.
/// </summary>
public static class ExportActivityPolicies
{
    /// <summary>How long an external task waits for a worker unless the table or configuration says otherwise.</summary>
    public static readonly TimeSpan DefaultScheduleToStart = TimeSpan.FromMinutes(5);

    private static ExportActivityPolicy External(int startToCloseMin, int scheduleToCloseMin, int heartbeatSec, int initialSec, int maximumSec, int attempts = 0, int scheduleToStartMin = 5) =>
        new(TimeSpan.FromMinutes(startToCloseMin), TimeSpan.FromMinutes(scheduleToCloseMin), TimeSpan.FromSeconds(initialSec), 2.0,
            TimeSpan.FromSeconds(maximumSec), attempts, TimeSpan.FromSeconds(heartbeatSec), TimeSpan.FromMinutes(scheduleToStartMin));

    private static readonly ExportActivityPolicy OneDocument = External(5, 30, 60, 10, 120);

    private static readonly ExportActivityPolicy Trends = External(5, 45, 60, 15, 300);

    private static readonly ExportActivityPolicy Live = new(TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(150), TimeSpan.FromSeconds(5), 2.0,
        TimeSpan.FromSeconds(15), 3, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1));

    public static IReadOnlyDictionary<string, ExportActivityPolicy> Table { get; } = new Dictionary<string, ExportActivityPolicy>(StringComparer.Ordinal)
    {
        [ExportTypeCatalog.SubsetPicks] = new(TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(5), 2.0, TimeSpan.FromMinutes(1), 6, Heartbeat: TimeSpan.FromSeconds(30)),
        [ExportTypeCatalog.DailySignals] = new(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), 2.0, TimeSpan.FromMinutes(1), 6, Heartbeat: TimeSpan.FromSeconds(30)),
        [ExportTypeCatalog.SubsetPerformance] = new(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(45), TimeSpan.FromSeconds(15), 2.0, TimeSpan.FromMinutes(5), 4, Heartbeat: TimeSpan.FromMinutes(1)),
        [ExportTypeCatalog.SubsetDefinitions] = new(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(10), 2.0, TimeSpan.FromMinutes(2), 5, Heartbeat: TimeSpan.FromSeconds(30)),
        ["results"] = OneDocument,
        ["performance"] = OneDocument,
        ["best-bets"] = OneDocument,
        ["predictions"] = OneDocument,
        ["tonight"] = External(10, 45, 60, 15, 300),
        ["tonight-players"] = External(20, 60, 60, 15, 300),
        ["streaks"] = OneDocument,
        ["trends-hot-cold"] = Trends,
        ["trends-bounce-back"] = Trends,
        ["trends-what-matters"] = Trends,
        ["trends-team"] = Trends,
        ["trends-quick-hits"] = Trends,
        ["trends-deep-dive"] = External(10, 60, 60, 15, 300),
        ["tonight-trend-plays"] = Trends,
        ["live"] = Live,
        ["live-grading"] = Live,
        [ExportTypeCatalog.PlayerProfiles] = External(30, 120, 60, 30, 600),
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
        Table.TryGetValue(type, out var policy) ? policy : throw new InvalidExportRequestException(ExportTypeCatalog.UnknownMessage(type));
}
