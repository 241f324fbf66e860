using ExportFlows.Workflows.Contracts;

namespace ExportFlows.Workflows.Planning;

/// <summary>A run of consecutive dates exported by one span activity from one read per table.</summary>
public sealed record DateSpan(DateOnly From, DateOnly To)
{
    public int Days => To.DayNumber - From.DayNumber + 1;

    public IEnumerable<DateOnly> Dates => Enumerable.Range(0, Days).Select(From.AddDays);

    public override string ToString() => From == To ? ExportDates.ToText(From) : $"{ExportDates.ToText(From)}..{ExportDates.ToText(To)}";
}

/// <summary>How a backfill is cut into spans, and where a retried span resumes. Plain code: the workflow and the in-process runner share it.</summary>
public static class BackfillSpans
{
    /// <summary>On BigQuery a span costs at most 4 query jobs whatever its length; 31 days keeps one span's memory small.</summary>
    public const int MaxSpanDays = 31;

    /// <summary>Cuts sorted, distinct dates into spans of consecutive dates, each at most <paramref name="spanDays"/> long.</summary>
    public static IReadOnlyList<DateSpan> Split(IEnumerable<DateOnly> dates, int spanDays)
    {
        if (spanDays is < 1 or > MaxSpanDays)
        {
            throw new InvalidExportRequestException($"span length {spanDays} is outside 1..{MaxSpanDays} days");
        }
        var spans = new List<DateSpan>();
        DateOnly? from = null, last = null;
        foreach (var date in dates.Distinct().Order())
        {
            if (from is { } start && last is { } previous && date == previous.AddDays(1) && date.DayNumber - start.DayNumber < spanDays)
            {
                last = date;
                continue;
            }
            if (from is { } f && last is { } l)
            {
                spans.Add(new DateSpan(f, l));
            }
            from = last = date;
        }
        if (from is { } first && last is { } end)
        {
            spans.Add(new DateSpan(first, end));
        }
        return spans;
    }

    /// <summary>The dates of a span a (retried) attempt still has to export, after its last checkpoint.</summary>
    public static IReadOnlyList<DateOnly> Remaining(DateSpan span, SpanCheckpoint? checkpoint)
    {
        if (checkpoint is null)
        {
            return span.Dates.ToList();
        }
        var last = ExportDates.Parse(checkpoint.LastFinished, "checkpoint date");
        return span.Dates.Where(d => d > last).ToList();
    }

    /// <summary>The range's workflow id: starting the same backfill twice attaches to the running one.</summary>
    public static string WorkflowId(DateOnly from, DateOnly to, IEnumerable<string> types) =>
        $"phase6-backfill-{ExportDates.ToText(from)}-{ExportDates.ToText(to)}-{BackfillPlanner.TypesKey(types)}";
}

/// <summary>
/// The backfill's bookkeeping: finished dates with outcomes, spans running, what is left. Deterministic: the workflow
/// keeps one, the progress query reads it, and continue-as-new carries its <see cref="State"/>.
/// </summary>
public sealed class BackfillLedger
{
    private readonly SortedDictionary<string, BackfillDateOutcome> _finished = new(StringComparer.Ordinal);
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<DateOnly> _dates;
    private readonly int _total;

    /// <summary>The ledger of <paramref name="input"/>: its <c>Skip</c> dates are already done, its <c>Carried</c> state finished.</summary>
    public BackfillLedger(BackfillInput input)
    {
        Input = input;
        foreach (var outcome in input.Carried?.Finished ?? [])
        {
            _finished[outcome.Date] = outcome;
        }
        Runs = (input.Carried?.Runs ?? 0) + 1;
        _dates = BackfillPlanner.Dates(ExportDates.Parse(input.From, "from date"), ExportDates.Parse(input.To, "to date"));
        _total = _dates.Count - AlreadyDone.Count;
    }

    public BackfillInput Input { get; }

    public IReadOnlyList<string> AlreadyDone => Input.Skip ?? [];

    /// <summary>This run's number in the continue-as-new chain (1 for the first).</summary>
    public int Runs { get; }

    public BackfillState State => new(_finished.Values.ToList(), Runs);

    /// <summary>The dates still to export: the range less those already done or finished.</summary>
    public IReadOnlyList<DateOnly> ToDo()
    {
        var skip = AlreadyDone.ToHashSet(StringComparer.Ordinal);
        return _dates.Where(d => ExportDates.ToText(d) is var text && !skip.Contains(text) && !_finished.ContainsKey(text)).ToList();
    }

    public void Started(DateSpan span)
    {
        foreach (var date in span.Dates)
        {
            _running.Add(ExportDates.ToText(date));
        }
    }

    /// <summary>
    /// Records a span's outcomes. A span cut short by cancellation (<paramref name="complete"/> false) leaves its other
    /// dates running, so the report lists them as interrupted; a completed span without an outcome for a date fails it.
    /// </summary>
    public void Record(DateSpan span, IEnumerable<BackfillDateOutcome> outcomes, bool complete = true)
    {
        foreach (var outcome in outcomes)
        {
            _finished[outcome.Date] = outcome;
            _running.Remove(outcome.Date);
        }
        foreach (var date in span.Dates.Select(ExportDates.ToText).Where(d => _running.Contains(d)).ToList())
        {
            if (complete)
            {
                _running.Remove(date);
                _finished[date] = new BackfillDateOutcome(date, false, 0, 0, "the span finished without an outcome for this date", "NoOutcome");
            }
        }
    }

    /// <summary>A span whose activity failed for good: its dates without an outcome fail with the activity's error.</summary>
    public void Fail(DateSpan span, string error, string? errorType)
    {
        Record(span, span.Dates.Select(ExportDates.ToText).Where(d => !_finished.ContainsKey(d))
            .Select(d => new BackfillDateOutcome(d, false, 0, 0, error, errorType)).ToList(), complete: true);
    }

    /// <summary>The outcomes recorded for the dates of <paramref name="span"/>, in date order.</summary>
    public IReadOnlyList<BackfillDateOutcome> OutcomesOf(DateSpan span) =>
        span.Dates.Select(ExportDates.ToText).Select(d => _finished.GetValueOrDefault(d)).OfType<BackfillDateOutcome>().ToList();

    public BackfillProgress Progress()
    {
        var failed = _finished.Values.Where(o => !o.Succeeded).Select(o => o.Date).ToList();
        return new BackfillProgress(_total, _finished.Count - failed.Count, failed.Count, _total - _finished.Count, failed, Runs);
    }

    public BackfillReport Report(bool cancelled, string? workflowId) =>
        new(Input.From, Input.To, Input.Types, _finished.Values.ToList(), AlreadyDone, _running.Order(StringComparer.Ordinal).ToList(), cancelled, workflowId,
            Remaining: cancelled ? ToDo().Count : 0);
}
