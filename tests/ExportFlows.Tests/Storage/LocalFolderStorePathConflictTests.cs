using System.Diagnostics;
using ExportFlows.Activities;
using ExportFlows.Activities.Storage;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Xunit.Abstractions;

namespace ExportFlows.Tests.Storage;

/// <summary>A folder where a document belongs (or a file where a folder does) is a store state no retry changes: named at once, nothing written.</summary>
public sealed class LocalFolderStorePathConflictTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Root => _temp.Sub("store");

    private static Task Write(LocalFolderObjectStore store, string name) =>
        store.WriteAsync(name, "{}"u8.ToArray(), "application/json", "public, max-age=300", new ObjectWriteOptions("0"));

    [Theory]
    [InlineData("v1/picks/2026-02-03.json", "v1/picks/2026-02-03.json", "is a folder, where the document belongs")]
    [InlineData("v1/picks", "v1/picks", "is a file, where the store needs a folder")]
    [InlineData(".exportflows-meta/v1/picks/2026-02-03.json.json", ".exportflows-meta/v1/picks/2026-02-03.json.json", "is a folder, where the document's metadata belongs")]
    public async Task WriteAsync_SomethingElseInTheDocumentsPlace_NamedConflictNothingWritten(string occupied, string named, string problem)
    {
        if (occupied.EndsWith(".json", StringComparison.Ordinal))
        {
            Directory.CreateDirectory(Path.Combine(Root, occupied));
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Root, occupied))!);
            await File.WriteAllTextAsync(Path.Combine(Root, occupied), "not a folder");
        }
        var before = _temp.Files("store");
        var store = new LocalFolderObjectStore(Root);

        var error = await Assert.ThrowsAsync<StorePathConflictException>(() => Write(store, "v1/picks/2026-02-03.json"));

        Assert.Equal($"store dir:{Root} cannot write v1/picks/2026-02-03.json: {Path.Combine(Root, named)} {problem}; " +
            "move or delete it, then rerun (nothing was written)", error.Message);
        Assert.Equal(ExportErrorTypes.StorePathConflict, ExportActivities.Classify(error));
        Assert.Contains(ExportErrorTypes.StorePathConflict, ExportErrorTypes.NonRetryable);
        Assert.Equal(before, _temp.Files("store"));
    }

    [Fact]
    public async Task RunAsync_FolderWherePicksBelongInProcess_FailsOnceOneLogLineOtherExportsWritten()
    {
        Directory.CreateDirectory(Path.Combine(Root, "v1/picks/2026-02-03.json"));
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, Root);
        var delays = new List<TimeSpan>();
        harness.Engine.Delay = (delay, _) => { delays.Add(delay); return Task.CompletedTask; };
        var watch = Stopwatch.StartNew();

        var report = await harness.Engine.RunAsync(new ExportRequest(["subset-picks", "daily-signals"], "2026-02-03"),
            new DateTimeOffset(2026, 2, 3, 17, 0, 0, TimeSpan.Zero), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        output.WriteLine($"folder in the document's place, in process: {watch.Elapsed.TotalMilliseconds:F0} ms");
        var picks = report.Exports.Single(e => e.Type == "subset-picks");
        Assert.Equal((ExportStatus.Failed, ExportErrorTypes.StorePathConflict, 1), (picks.Status, picks.ErrorType, picks.Attempts));
        Assert.Contains("is a folder, where the document belongs", picks.Error, StringComparison.Ordinal);
        Assert.Equal(ExportStatus.Succeeded, report.Exports.Single(e => e.Type == "daily-signals").Status);
        Assert.Empty(delays);
        var logged = Assert.Single(harness.Logs.Messages, m => m.Contains("subset-picks failed", StringComparison.Ordinal));
        Assert.StartsWith("Warning: Export subset-picks failed on attempt 1 (StorePathConflict): store dir:", logged, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', logged);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Root, "v1/picks/2026-02-03.json")));
    }

    public void Dispose() => _temp.Dispose();
}
