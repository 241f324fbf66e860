using ExportFlows.Worker.Cli;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Cli;

public sealed class ReportPrinterTests
{
    private static ExportReport Report()
    {
        var players = Enumerable.Range(1, 212).Select(i => new ExportActivityObject($"v1/tonight/player/p{i:000}.json", 100, null)).ToList();
        return new ExportReport("2026-02-10", null, "cli",
        [
            ExportReportBuilder.FromResult(new ExportActivityResult("tonight-players", players, null), TimeSpan.FromSeconds(412)),
            ExportReportBuilder.FromResult(new ExportActivityResult("results", [new("v1/results/2026-02-10.json", null, null)], null), TimeSpan.FromSeconds(3)),
            new ExportOutcome("subset-picks", ExportStatus.Succeeded, "v1/picks/2026-02-10.json", 2048, 1, 0.5),
            new ExportOutcome("live", ExportStatus.NotEnabled, null, 0, 0, 0, "not enabled"),
        ]);
    }

    [Fact]
    public void Print_HundredsOfObjects_CountAndFirstFive()
    {
        using var output = new StringWriter();
        ReportPrinter.Print(Report(), output, json: false);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();

        Assert.StartsWith("tonight-players  v1/tonight/player/p001.json (+211 more)  21200", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("results ", StringComparison.Ordinal) && l.Contains("v1/results/2026-02-10.json", StringComparison.Ordinal) && l.Contains(" - ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("live ", StringComparison.Ordinal) && l.EndsWith("not-enabled", StringComparison.Ordinal));
        var listed = lines.IndexOf("tonight-players: 212 objects");
        Assert.True(listed > 0, string.Join("\n", lines));
        Assert.Equal(["  v1/tonight/player/p001.json", "  v1/tonight/player/p002.json", "  v1/tonight/player/p003.json", "  v1/tonight/player/p004.json", "  v1/tonight/player/p005.json", "  … and 207 more"],
            lines.Skip(listed + 1).Take(6));
        Assert.Equal("3 of 3 exports written; not enabled: live", lines[^1]);
    }

    [Fact]
    public void Print_SkippedExportAndCatalog_ReasonAndFingerprintUnderTheTable()
    {
        var report = new ExportReport(null, "2026-02-03", "cli",
        [
            new ExportOutcome("subset-definitions", ExportStatus.Skipped, "v1/systems/subsets.json", 0, 1, 0.02, "inputs unchanged since 2026-02-03T15:00:00Z"),
            new ExportOutcome("subset-performance", ExportStatus.Succeeded, "v1/subsets/performance.json", 5433, 1, 0.7),
        ])
        { Catalog = "01508249e14ad6a4" };
        using var output = new StringWriter();

        ReportPrinter.Print(report, output, json: false);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Contains("subset-definitions: skipped: inputs unchanged since 2026-02-03T15:00:00Z", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("subset-performance:", StringComparison.Ordinal));
        Assert.Contains("catalog: fingerprint 01508249e14ad6a4", lines);
    }

    [Fact]
    public void Print_NoWorkerTookTheTask_DashForAttempts()
    {
        var report = new ExportReport("2026-02-10", null, "cli",
            [ExportReportBuilder.Failure("results", 5, TimeSpan.FromMinutes(5), "no worker polled exportflows-python", ExportErrorTypes.NoExternalWorker)]);
        using var output = new StringWriter();

        ReportPrinter.Print(report, output, json: false);

        Assert.Equal(0, report.Exports[0].Attempts);
        Assert.Matches(@"^results +- +0 +300\.000s +- +- +- +- +failed$", output.ToString().Split('\n')[1].TrimEnd());
    }

    [Fact]
    public void Print_Json_EveryObjectAndCount()
    {
        using var output = new StringWriter();
        ReportPrinter.Print(Report(), output, json: true);
        using var doc = System.Text.Json.JsonDocument.Parse(output.ToString());
        var players = doc.RootElement.GetProperty("exports")[0];
        Assert.Equal(212, players.GetProperty("objects").GetArrayLength());
        Assert.Equal(212, players.GetProperty("objectCount").GetInt32());
        Assert.Equal("v1/tonight/player/p212.json", players.GetProperty("objects")[211].GetProperty("name").GetString());
    }

    [Fact]
    public void Print_GraphRun_StepsValuesAndNotRunRowsSaid()
    {
        var version = System.Text.Json.JsonSerializer.SerializeToElement("v_20260210_180000");
        var report = new ExportReport("2026-02-10", null, "cli",
        [
            new ExportOutcome("materialize", ExportStatus.Succeeded, null, 0, 1, 2.5) { Step = true, Values = new Dictionary<string, System.Text.Json.JsonElement> { ["version_id"] = version } },
            new ExportOutcome("graded", ExportStatus.NotRun, null, 0, 0, 0, "not run: it requires discover, which failed (WarehouseError: down)", "DependencyFailed"),
            new ExportOutcome("subset-performance", ExportStatus.Succeeded, "v1/subsets/performance.json", 10, 1, 1) { Note = "rebuilt: the warehouse changed" },
        ]);
        using var output = new StringWriter();

        ReportPrinter.Print(report, output, json: false);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^materialize +\\(step\\) ", lines[1]);
        Assert.EndsWith("not-run", lines[2], StringComparison.Ordinal);
        Assert.Contains("materialize: values version_id = \"v_20260210_180000\"", lines);
        Assert.Contains("graded: not run: it requires discover, which failed (WarehouseError: down)", lines);
        Assert.Contains("subset-performance: rebuilt: the warehouse changed", lines);
        Assert.StartsWith("1 of 3 exports failed (graded: not run: it requires discover", lines[^1], StringComparison.Ordinal);
    }
}
