namespace ExportFlows.Workflows.Contracts;

/// <summary>
/// A durable backfill of [<paramref name="From"/>, <paramref name="To"/>] (YYYY-MM-DD): the input of
/// <c>Phase6BackfillWorkflow</c>. <paramref name="Skip"/> lists dates a previous run already exported;
/// <paramref name="Carried"/> is the state handed to the next run by continue-as-new.
/// </summary>
public sealed record BackfillInput(
    IReadOnlyList<string> Types,
    string From,
    string To,
    bool Force = false,
    bool AllowEmpty = false,
    int SpanDays = 31,
    int ParallelSpans = 2,
    int SpansPerRun = 40,
    IReadOnlyList<string>? Skip = null,
    BackfillState? Carried = null);

/// <summary>Dates finished so far (with their outcomes), carried across continue-as-new.</summary>
public sealed record BackfillState(IReadOnlyList<BackfillDateOutcome> Finished, int Runs);

/// <summary>The input of one span activity: the documents of the types for every date of [From, To].</summary>
public sealed record SpanExportRequest(
    IReadOnlyList<string> Types,
    string From,
    string To,
    DateTimeOffset GeneratedAt,
    bool Force = false,
    bool AllowEmpty = false,
    string Trigger = "backfill");

/// <summary>What one date of a backfill wrote: documents written and skipped (a newer one exists), or why it failed.</summary>
public sealed record BackfillDateOutcome(
    string Date,
    bool Succeeded,
    int Written,
    int Skipped,
    string? Error = null,
    string? ErrorType = null);

public sealed record SpanExportResult(IReadOnlyList<BackfillDateOutcome> Dates);

/// <summary>Heartbeat detail of a span activity: a retried attempt resumes after <paramref name="LastFinished"/>.</summary>
public sealed record SpanCheckpoint(string LastFinished, IReadOnlyList<BackfillDateOutcome> Outcomes);

/// <summary>The answer of the backfill workflow's progress query.</summary>
public sealed record BackfillProgress(int Total, int Done, int Failed, int Remaining, IReadOnlyList<string> FailedDates, int Runs);

/// <summary>
/// What a backfill wrote and what failed, per date. <paramref name="Interrupted"/> lists dates that were running when
/// the backfill was cancelled: they may be partly written (every document is written whole), and a rerun redoes them.
/// <paramref name="Remaining"/> counts the dates a cancelled backfill did not finish (interrupted or never started).
/// </summary>
public sealed record BackfillReport(
    string From,
    string To,
    IReadOnlyList<string> Types,
    IReadOnlyList<BackfillDateOutcome> Dates,
    IReadOnlyList<string> AlreadyDone,
    IReadOnlyList<string> Interrupted,
    bool Cancelled,
    string? WorkflowId = null,
    int Remaining = 0)
{
    public int Succeeded => Dates.Count(d => d.Succeeded);

    public int Failed => Dates.Count(d => !d.Succeeded);

    public int DocumentsWritten => Dates.Sum(d => d.Written);

    public string Summary() =>
        $"backfill {From}..{To}: {Dates.Count + AlreadyDone.Count + Interrupted.Count} date(s), {AlreadyDone.Count} already done, " +
        $"{Succeeded} exported ({DocumentsWritten} documents), {Failed} failed" +
        (Cancelled ? $", cancelled with {Interrupted.Count} date(s) interrupted and {Remaining} date(s) remaining (rerun the same command to finish them)" : "");
}
