using ExportFlows.Tests.Support;
using ExportFlows.Worker.Backfill;
using ExportFlows.Worker.Cli;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Tests.Backfill;

public sealed class InProcessBackfillTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task RunAsync_CancelledAfterTheFirstDate_ReportsWhatWasWrittenAndJournalsIt()
    {
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, _temp.Sub("out"));
        var backfill = new InProcessBackfill(new ExportFlows.Activities.Exporters.SpanExportService(harness.Exporters, harness.Reader,
            harness.Settings, NullLogger<ExportFlows.Activities.Exporters.SpanExportService>.Instance), harness.Activities, harness.Catalogs, NullLogger<InProcessBackfill>.Instance);
        var journal = new FileBackfillJournal(_temp.Sub("journal.jsonl"));
        using var cancel = new CancellationTokenSource();
        var input = new BackfillInput(BackfillPlanner.DefaultTypes(ExportCatalog.Shipped), "2026-01-05", "2026-01-14", SpanDays: 5, ParallelSpans: 1);

        var report = await backfill.RunAsync(input, journal, DateTimeOffset.UtcNow, (_, date) =>
        {
            if (date is not null)
            {
                cancel.Cancel();
            }
        }, cancel.Token);

        Assert.True(report.Cancelled);
        var written = Assert.Single(report.Dates);
        Assert.Equal(("2026-01-05", true, 2), (written.Date, written.Succeeded, written.Written));
        Assert.Equal(["2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"], report.Interrupted);
        Assert.Equal(["picks/2026-01-05.json", "signals/2026-01-05.json"], _temp.Files("out/v1"));
        Assert.True(await journal.SucceededAsync(new DateOnly(2026, 1, 5), BackfillPlanner.DefaultTypes(ExportCatalog.Shipped), CancellationToken.None));
        Assert.False(await journal.SucceededAsync(new DateOnly(2026, 1, 6), BackfillPlanner.DefaultTypes(ExportCatalog.Shipped), CancellationToken.None));
    }

    [Fact]
    public async Task Backfill_CancelledBeforeItStarts_Exit130NothingWritten()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var result = await CliRunner.RunAsync(["backfill", "--in-process", "--from", "2026-01-05", "--to", "2026-01-09", "--journal", _temp.Sub("j.jsonl"),
            "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + _temp.Sub("out")], cancellation.Token);

        Assert.Equal(ExitCodes.Cancelled, result.ExitCode);
        Assert.False(Directory.Exists(_temp.Sub("out/v1")));
    }

    public void Dispose() => _temp.Dispose();
}
