using System.Text.Json;
using ExportFlows.Worker.Cli;
using ExportFlows.Workflows.Contracts;
using Temporalio.Converters;

namespace ExportFlows.Tests.Cli;

/// <summary>The report's cost figures: summed per export and per run, printed with whose figures they are, never invented.</summary>
public sealed class CostReportTests
{
    private static ExportReport Report(params ExportCost?[] costs) => new("2026-02-10", null, "cli",
        costs.Select((c, i) => new ExportOutcome($"type-{i}", ExportStatus.Succeeded, $"v1/o{i}.json", 100, 1, 0.5) { Cost = c }).ToList());

    [Fact]
    public void Sum_BigQueryJobs_FiguresAddedJobIdsKeptUnknownStaysUnknown()
    {
        var total = ExportCost.Sum([ExportCost.BigQueryJob("a", 10, 100, 10_485_760, 7, false), null, ExportCost.BigQueryJob("b", 5, 0, 0, null, true)]);

        Assert.Equal(new ExportCost(ExportCost.BigQuery, 2, 15, 100, 10_485_760, 7, 1), total! with { JobIds = null });
        Assert.Equal(["a", "b"], total.JobIds);
        Assert.Null(ExportCost.Sum([null, null]));
        Assert.Null(ExportCost.Sum([ExportCost.DuckDbQuery(3, 0)])!.BytesBilled);
    }

    [Fact]
    public void Success_ActivityResultThroughTemporalsConverter_CostReachesOutcomeReportAndWorkflowResult()
    {
        var converter = DataConverter.Default.PayloadConverter;
        var written = new ExportedObject("subset-performance", "v1/subsets/performance.json", 2048, "public, max-age=3600", "7", 1)
        {
            Cost = ExportCost.BigQueryJob("job_1", 40, 123_456, 10_485_760, 99, false),
        };

        var received = converter.ToValue<ExportedObject>(converter.ToPayload(written));
        var report = new ExportReport(null, "2026-02-10", "cli", [ExportReportBuilder.Success(received, 1, TimeSpan.FromSeconds(2))]);
        var result = converter.ToValue<ExportReport>(converter.ToPayload(report));

        Assert.Equal(written.Cost with { JobIds = null }, received.Cost! with { JobIds = null });
        Assert.Equal(["job_1"], result.Exports[0].Cost!.JobIds);
        Assert.Equal(10_485_760, result.Cost!.BytesBilled);
    }

    [Fact]
    public void Success_SkippedBecauseInputsUnchanged_SkippedWithReasonAndNoQuery()
    {
        var skipped = new ExportedObject("subset-performance", "v1/subsets/performance.json", 0, "public, max-age=3600", "7", 1, "inputs unchanged since …")
        {
            Cost = ExportCost.Nothing,
        };

        var outcome = ExportReportBuilder.Success(skipped, 1, TimeSpan.Zero);

        Assert.Equal((ExportStatus.Skipped, "inputs unchanged since …", 0), (outcome.Status, outcome.Error, outcome.Cost!.Queries));
    }

    [Fact]
    public void Print_DuckDbCost_RowsAndFileBytesNoBilledFigure()
    {
        using var output = new StringWriter();
        ReportPrinter.Print(Report(ExportCost.DuckDbQuery(1000, 2 * 1024 * 1024), ExportCost.DuckDbQuery(234, 0).Add(ExportCost.DuckDbQuery(0, 0)), null), output, json: false);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^type-0 +v1/o0\.json +100 +0\.500s +1 +1 +- +- +succeeded$", lines[1]);
        Assert.Matches(@"^type-1 +v1/o1\.json +100 +0\.500s +1 +2 +- +- +succeeded$", lines[2]);
        Assert.Matches(@"^type-2 +v1/o2\.json +100 +0\.500s +1 +- +- +- +succeeded$", lines[3]);
        Assert.Equal("cost: 3 DuckDB queries: 1,234 rows, 2.0 MiB of table files parsed (measured by the embedded warehouse; bytes processed and billed are BigQuery's figures: DuckDB bills nothing)", lines[4]);
    }

    [Fact]
    public void Print_Json_SnakeCaseCostPerExportAndRunTotal()
    {
        using var output = new StringWriter();
        ReportPrinter.Print(Report(ExportCost.BigQueryJob("job_1", 4, 1000, 10_485_760, 12, false), ExportCost.Nothing), output, json: true);

        using var doc = JsonDocument.Parse(output.ToString());
        var first = doc.RootElement.GetProperty("exports")[0].GetProperty("cost");
        Assert.Equal(["source", "queries", "rows_read", "bytes_processed", "bytes_billed", "slot_ms", "cache_hits", "file_bytes_read", "job_ids"],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(10_485_760, doc.RootElement.GetProperty("cost").GetProperty("bytes_billed").GetInt64());
        Assert.Equal(("none", 0), (doc.RootElement.GetProperty("exports")[1].GetProperty("cost").GetProperty("source").GetString(),
            doc.RootElement.GetProperty("exports")[1].GetProperty("cost").GetProperty("queries").GetInt32()));
    }
}
