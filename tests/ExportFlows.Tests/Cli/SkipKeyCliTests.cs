using System.Text.Json;
using System.Text.RegularExpressions;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Cli;

/// <summary>
/// The hand probe of the stale skip, through the CLI: subset-performance for 2026-02-03 from the sample warehouse, then
/// from another warehouse (the sample without two weeks of predictions, its files older than the last read) into the
/// same folder store. The second run rebuilds what <c>--force</c> writes; a third run with nothing changed skips.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed partial class SkipKeyCliTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Out => _temp.Sub("out");

    private async Task<(string Status, string Document, string? Note)> ExportAsync(string warehouse, string now, bool force = false)
    {
        string[] args = ["export", "--in-process", "--types", "subset-performance", "--as-of", "2026-02-03", "--json",
            "--warehouse", "duckdb:" + warehouse, "--store", "dir:" + Out, "--now", now];
        var result = await CliRunner.RunAsync(force ? [.. args, "--force"] : args);
        Assert.True(result.ExitCode == 0, result.Error);
        using var report = JsonDocument.Parse(result.Output);
        var export = report.RootElement.GetProperty("exports")[0];
        var status = export.GetProperty("status").GetString()!;
        var note = export.TryGetProperty("note", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return (status, GeneratedAt().Replace(await File.ReadAllTextAsync(Path.Combine(Out, "v1/subsets/performance.json")), "\"generated_at\": \"…\""), note);
    }

    [Fact]
    public async Task Export_OtherWarehouseWithOlderFiles_RebuiltAsForceWritesThenSkipped()
    {
        var other = _temp.CopyOfTables(ExportHarness.SampleWarehouse, "other");
        var predictions = Path.Combine(other, WarehouseTable.Predictions.QualifiedName + ".csv");
        var lines = File.ReadAllLines(predictions);
        File.WriteAllLines(predictions, lines.Take(1).Concat(lines.Skip(1).Where(l => l.Split(',')[3] is var date
            && (string.CompareOrdinal(date, "2026-01-20") < 0 || string.CompareOrdinal(date, "2026-02-02") > 0))));
        foreach (var file in Directory.GetFiles(other))
        {
            File.SetLastWriteTimeUtc(file, new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc));
        }

        var first = await ExportAsync(ExportHarness.SampleWarehouse, "2026-02-03T15:00:00Z");
        var second = await ExportAsync(other, "2026-02-03T16:00:00Z");
        var third = await ExportAsync(other, "2026-02-03T17:00:00Z");
        var forced = await ExportAsync(other, "2026-02-03T18:00:00Z", force: true);

        Assert.Equal(("succeeded", "succeeded", "skipped", "succeeded"), (first.Status, second.Status, third.Status, forced.Status));
        Assert.Equal(forced.Document, second.Document);
        Assert.NotEqual(first.Document, second.Document);
        // The report says which part of the key changed.
        Assert.StartsWith("rebuilt: the warehouse changed", second.Note, StringComparison.Ordinal);
        Assert.Null(third.Note);
    }

    [GeneratedRegex("\"generated_at\":\\s*\"[^\"]*\"")]
    private static partial Regex GeneratedAt();

    public void Dispose() => _temp.Dispose();
}
