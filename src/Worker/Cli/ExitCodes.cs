namespace ExportFlows.Worker.Cli;

/// <summary>Every exit code of <c>exportflows</c> (README, "Exit codes").</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>An export (or a backfill date, or a run waited for) failed; the others still completed.</summary>
    public const int ExportFailed = 1;

    /// <summary>Bad input: arguments, dates, types, messages, configuration, missing tables, unreadable files. Nothing was written.</summary>
    public const int InvalidInput = 2;

    /// <summary><c>status</c>: an endpoint is stale, missing or failing, or the catalog file does not validate.</summary>
    public const int Unhealthy = 3;

    /// <summary>The Temporal server could not be reached, or refused a request.</summary>
    public const int TemporalUnavailable = 4;

    /// <summary>A fault of ExportFlows itself; the message says what, <c>-v</c> adds the stack trace.</summary>
    public const int InternalError = 70;

    /// <summary>Interrupted (Ctrl-C, SIGINT): running work was cancelled.</summary>
    public const int Cancelled = 130;

    public static IReadOnlyList<int> All { get; } = [Success, ExportFailed, InvalidInput, Unhealthy, TemporalUnavailable, InternalError, Cancelled];
}
