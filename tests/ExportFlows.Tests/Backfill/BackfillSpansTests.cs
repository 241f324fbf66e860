using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Backfill;

public sealed class BackfillSpansTests
{
    private static DateOnly D(string text) => ExportDates.Parse(text, "date");

    private static IEnumerable<DateOnly> Range(string from, string to) => BackfillPlanner.Dates(D(from), D(to));

    [Fact]
    public void Split_Season_SpansOfAtMost31ConsecutiveDatesCoveringEveryDate()
    {
        var dates = Range("2025-11-01", "2026-02-16").ToList();

        var spans = BackfillSpans.Split(dates, 31);

        Assert.Equal(["2025-11-01..2025-12-01", "2025-12-02..2026-01-01", "2026-01-02..2026-02-01", "2026-02-02..2026-02-16"], spans.Select(s => s.ToString()));
        Assert.Equal(dates, spans.SelectMany(s => s.Dates));
    }

    [Fact]
    public void Split_GapsFromSkippedDates_NeverSpanAGap()
    {
        var dates = Range("2026-01-01", "2026-01-10").Where(d => d.Day is not (4 or 5)).ToList();

        var spans = BackfillSpans.Split(dates, 31);

        Assert.Equal(["2026-01-01..2026-01-03", "2026-01-06..2026-01-10"], spans.Select(s => s.ToString()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    public void Split_SpanLengthOutOfRange_Rejected(int days)
    {
        Assert.Throws<InvalidExportRequestException>(() => BackfillSpans.Split([D("2026-01-01")], days));
    }

    [Fact]
    public void Split_ThreeSeasons_EveryDateOnceInOrder()
    {
        var dates = Range("2023-10-01", "2026-06-30").ToList();

        var spans = BackfillSpans.Split(dates, 31);

        Assert.All(spans, s => Assert.InRange(s.Days, 1, 31));
        Assert.Equal(dates, spans.SelectMany(s => s.Dates));
        Assert.Equal((dates.Count + 30) / 31, spans.Count);
    }

    [Fact]
    public void Remaining_CheckpointMidSpan_ResumesAfterLastFinishedDate()
    {
        var span = new DateSpan(D("2026-01-01"), D("2026-01-05"));
        var checkpoint = new SpanCheckpoint("2026-01-03", []);

        Assert.Equal([D("2026-01-04"), D("2026-01-05")], BackfillSpans.Remaining(span, checkpoint));
        Assert.Equal(5, BackfillSpans.Remaining(span, null).Count);
        Assert.Empty(BackfillSpans.Remaining(span, new SpanCheckpoint("2026-01-05", [])));
    }

    [Fact]
    public void ToDo_SkippedAndFinishedDates_Excluded()
    {
        var todo = new BackfillLedger(new BackfillInput(["subset-picks"], "2026-01-01", "2026-01-05", Skip: ["2026-01-02"],
            Carried: new BackfillState([new BackfillDateOutcome("2026-01-04", false, 0, 0, "x")], 1))).ToDo();

        Assert.Equal([D("2026-01-01"), D("2026-01-03"), D("2026-01-05")], todo);
    }

    [Fact]
    public void WorkflowId_RangeAndTypeSet_OrderIndependent()
    {
        var id = BackfillSpans.WorkflowId(D("2025-11-01"), D("2026-02-16"), ["subset-picks", "daily-signals"]);

        Assert.Equal(id, BackfillSpans.WorkflowId(D("2025-11-01"), D("2026-02-16"), ["daily-signals", "subset-picks"]));
        Assert.NotEqual(id, BackfillSpans.WorkflowId(D("2025-11-01"), D("2026-02-16"), ["subset-picks"]));
        Assert.NotEqual(id, BackfillSpans.WorkflowId(D("2025-11-02"), D("2026-02-16"), ["subset-picks", "daily-signals"]));
        Assert.StartsWith("phase6-backfill-2025-11-01-2026-02-16-", id, StringComparison.Ordinal);
    }

    private static BackfillInput Input(string from = "2026-01-01", string to = "2026-01-06", BackfillState? carried = null, IReadOnlyList<string>? skip = null) =>
        new(["subset-picks"], from, to, Skip: skip, Carried: carried);

    private static BackfillDateOutcome Ok(string date) => new(date, true, 1, 0);

    [Fact]
    public void Ledger_SpansRecordedAndFailed_ProgressAndReportSayWhatHappened()
    {
        var ledger = new BackfillLedger(Input(skip: ["2026-01-06"]));
        var first = new DateSpan(D("2026-01-01"), D("2026-01-03"));
        var second = new DateSpan(D("2026-01-04"), D("2026-01-05"));
        ledger.Started(first);
        ledger.Started(second);
        ledger.Record(first, [Ok("2026-01-01"), new BackfillDateOutcome("2026-01-02", false, 0, 0, "subset-picks: empty", "EmptyInput"), Ok("2026-01-03")]);

        var progress = ledger.Progress();
        Assert.Equal((5, 2, 1, 2, 1), (progress.Total, progress.Done, progress.Failed, progress.Remaining, progress.Runs));
        Assert.Equal(["2026-01-02"], progress.FailedDates);

        ledger.Fail(second, "BigQuery unavailable", "GoogleApiUnavailable");
        var report = ledger.Report(cancelled: false, "wf");

        Assert.Equal(["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05"], report.Dates.Select(d => d.Date));
        Assert.Equal((2, 3), (report.Succeeded, report.Failed));
        Assert.Equal("BigQuery unavailable", report.Dates.Single(d => d.Date == "2026-01-05").Error);
        Assert.Equal(["2026-01-06"], report.AlreadyDone);
        Assert.Empty(report.Interrupted);
    }

    [Fact]
    public void Ledger_CancelledMidSpan_UnfinishedDatesInterrupted()
    {
        var ledger = new BackfillLedger(Input());
        var span = new DateSpan(D("2026-01-01"), D("2026-01-06"));
        ledger.Started(span);
        ledger.Record(span, [Ok("2026-01-01"), Ok("2026-01-02")], complete: false);

        var report = ledger.Report(cancelled: true, null);

        Assert.True(report.Cancelled);
        Assert.Equal(["2026-01-01", "2026-01-02"], report.Dates.Select(d => d.Date));
        Assert.Equal(["2026-01-03", "2026-01-04", "2026-01-05", "2026-01-06"], report.Interrupted);
        Assert.Contains("cancelled with 4 date(s) interrupted", report.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ledger_CancelledWithSpansNotStarted_RemainingCountsInterruptedAndNotStarted()
    {
        var ledger = new BackfillLedger(Input("2026-01-01", "2026-01-10", skip: ["2026-01-10"]));
        var span = new DateSpan(D("2026-01-01"), D("2026-01-03"));
        ledger.Started(span);
        ledger.Record(span, [Ok("2026-01-01")], complete: false);

        var report = ledger.Report(cancelled: true, null);

        // 10 dates: 1 already done, 1 written, 2 interrupted, 6 never started.
        Assert.Equal((1, 2, 8), (report.Succeeded, report.Interrupted.Count, report.Remaining));
        Assert.Contains("cancelled with 2 date(s) interrupted and 8 date(s) remaining (rerun the same command to finish them)", report.Summary(), StringComparison.Ordinal);
        Assert.Equal(0, ledger.Report(cancelled: false, null).Remaining);
    }

    [Fact]
    public void Ledger_CompletedSpanMissingADate_FailsThatDate()
    {
        var ledger = new BackfillLedger(Input(to: "2026-01-02"));
        var span = new DateSpan(D("2026-01-01"), D("2026-01-02"));
        ledger.Started(span);
        ledger.Record(span, [Ok("2026-01-01")]);

        Assert.Equal("NoOutcome", ledger.Report(false, null).Dates.Single(d => d.Date == "2026-01-02").ErrorType);
    }

    [Fact]
    public void Ledger_CarriedState_ContinuesCountingAcrossRuns()
    {
        var first = new BackfillLedger(Input());
        var span = new DateSpan(D("2026-01-01"), D("2026-01-02"));
        first.Started(span);
        first.Record(span, [Ok("2026-01-01"), Ok("2026-01-02")]);

        var second = new BackfillLedger(Input(carried: first.State));

        Assert.Equal((6, 2, 4, 2), (second.Progress().Total, second.Progress().Done, second.Progress().Remaining, second.Progress().Runs));
        Assert.Equal(4, second.ToDo().Count);
    }
}
