using System.Diagnostics;
using ExportFlows.Activities.Storage;
using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Storage;

/// <summary>The folder store on a real read-only or full volume (a tmpfs), as the kernel and .NET report them.</summary>
public sealed class ReadOnlyAndFullStoreTests
{
    [TmpfsFact]
    public async Task WriteAsync_ReadOnlyVolume_FailsAtOnceAsNotWritableAndDocumentKept()
    {
        using var volume = TmpfsMount.Create();
        var store = new LocalFolderObjectStore(volume.Path);
        await Write(store, "v1/a.json", "{\"v\":1}");
        volume.RemountReadOnly();
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<StoreNotWritableException>(() => Write(store, "v1/a.json", "{\"v\":2}"));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal($"store dir:{volume.Path} is not writable: read-only file system at {volume.Path}/.exportflows-meta/v1/a.json.json.lock; " +
            "remount it read-write or choose a writable folder (--store)", error.Message);
        Assert.Equal("{\"v\":1}", await File.ReadAllTextAsync(Path.Combine(volume.Path, "v1/a.json")));
    }

    [TmpfsFact]
    public async Task WriteAsync_NewStoreUnderReadOnlyParent_FailsAtOnceAsNotWritable()
    {
        using var volume = TmpfsMount.Create();
        volume.RemountReadOnly();
        var store = new LocalFolderObjectStore(Path.Combine(volume.Path, "new", "store"));

        var error = await Assert.ThrowsAsync<StoreNotWritableException>(() => Write(store, "v1/a.json", "{}"));

        Assert.Contains($"read-only file system at {volume.Path}/new/store/.exportflows-meta/v1", error.Message, StringComparison.Ordinal);
    }

    [TmpfsFact]
    public async Task WriteAsync_OnePageLeft_NewDocumentNotPublishedWithoutSideFileAndFullNamed()
    {
        using var volume = TmpfsMount.Create();
        var store = new LocalFolderObjectStore(volume.Path);
        await Write(store, "v1/a.json", "{}");
        volume.FillLeaving(pages: 1);

        var error = await Assert.ThrowsAsync<StoreFullException>(() => Write(store, "v1/b.json", "{\"b\":1}"));

        Assert.StartsWith($"store dir:{volume.Path} is full: no space left on device at {volume.Path}/.exportflows-meta/v1/.tmp-", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(volume.Path, "v1/b.json")));
        Assert.Empty(Directory.GetFiles(volume.Path, ".tmp-*", SearchOption.AllDirectories));
        Assert.Equal(["v1/a.json"], (await store.ListAsync("")).Select(o => o.Name).Where(n => n != "filler"));
    }

    [TmpfsFact]
    public async Task ExportCli_ReadOnlyStore_FailsInSecondsWithStoreNotWritable()
    {
        using var volume = TmpfsMount.Create();
        volume.RemountReadOnly();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watch = Stopwatch.StartNew();

        var result = await CliRunner.RunAsync(["export", "--in-process", "--date", "2026-02-03", "--types", "daily-signals", "--json",
            "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + Path.Combine(volume.Path, "out")], limit.Token);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Equal(1, result.ExitCode);
        using var report = System.Text.Json.JsonDocument.Parse(result.Output);
        var export = report.RootElement.GetProperty("exports")[0];
        Assert.Equal(("StoreNotWritable", 1), (export.GetProperty("errorType").GetString(), export.GetProperty("attempts").GetInt32()));
        Assert.Contains("read-only file system at", export.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static Task<ObjectMetadata> Write(LocalFolderObjectStore store, string name, string json) =>
        store.WriteAsync(name, System.Text.Encoding.UTF8.GetBytes(json), "application/json", "x");
}
