using System.Diagnostics;
using ExportFlows.Activities.Storage;
using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Storage;

/// <summary>File-system failures injected at the store's seam, raised as .NET raises them on Linux.</summary>
public sealed class LocalFolderStoreFailureTests : IDisposable
{
    private readonly TempFolder _root = new();

    [Fact]
    public async Task WriteAsync_ReadOnlyFileSystem_FailsAtOnceAsNotWritable()
    {
        var store = Store((operation, path) => operation == "OpenLock" ? FaultyFileSystem.Errno(30, "Read-only file system", path) : null);
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<StoreNotWritableException>(() => Write(store, "v1/a.json", "{}"));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal($"store dir:{_root.Path} is not writable: read-only file system at {_root.Sub(".exportflows-meta/v1/a.json.json.lock")}; " +
            "remount it read-write or choose a writable folder (--store)", error.Message);
    }

    [Fact]
    public async Task WriteAsync_PermissionDeniedCreatingFolder_FailsAtOnceAsNotWritable()
    {
        var store = Store((operation, path) => operation == "CreateDirectory" ? FaultyFileSystem.Denied(path) : null);

        var error = await Assert.ThrowsAsync<StoreNotWritableException>(() => Write(store, "v1/a.json", "{}"));

        Assert.Contains("permission denied at " + _root.Sub(".exportflows-meta/v1"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_SideFileWriteFindsDiskFull_DocumentNotPublishedAndFullNamed()
    {
        var full = false;
        var store = Store((operation, path) => full && operation == "WriteNewAsync" && path.Contains("/.exportflows-meta/", StringComparison.Ordinal)
            ? FaultyFileSystem.Errno(28, "No space left on device", path) : null);
        await Write(store, "v1/a.json", "{\"v\":1}");
        full = true;

        var error = await Assert.ThrowsAsync<StoreFullException>(() => Write(store, "v1/a.json", "{\"v\":2}"));
        var other = await Assert.ThrowsAsync<StoreFullException>(() => Write(store, "v1/new.json", "{}"));

        Assert.StartsWith($"store dir:{_root.Path} is full: no space left on device at {_root.Sub(".exportflows-meta/v1/.tmp-")}", error.Message, StringComparison.Ordinal);
        Assert.Equal("{\"v\":1}", await File.ReadAllTextAsync(_root.Sub("v1/a.json")));
        Assert.Equal(("1", 7L), ((await store.GetMetadataAsync("v1/a.json"))!.Generation, (await store.GetMetadataAsync("v1/a.json"))!.Size));
        Assert.Null(await store.GetMetadataAsync("v1/new.json"));
        Assert.Equal([".exportflows-meta/v1/a.json.json", ".exportflows-meta/v1/a.json.json.lock", ".exportflows-meta/v1/new.json.json.lock", "v1/a.json"], _root.Files());
        Assert.Contains("no space left on device", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_Steps_BothFilesWrittenBeforeEitherIsRenamed()
    {
        var steps = new List<string>();
        var store = Store((operation, path) =>
        {
            steps.Add($"{operation} {Path.GetRelativePath(_root.Path, path).Replace('\\', '/')}");
            return null;
        });

        await Write(store, "v1/a.json", "{}");

        var shown = steps.Select(s => System.Text.RegularExpressions.Regex.Replace(s, "\\.tmp-[0-9a-f]{32}-", ".tmp-*-")).ToList();
        Assert.Equal([
            "CreateDirectory .exportflows-meta/v1", "OpenLock .exportflows-meta/v1/a.json.json.lock",
            "CreateDirectory v1", "WriteNewAsync v1/.tmp-*-a.json",
            "CreateDirectory .exportflows-meta/v1", "WriteNewAsync .exportflows-meta/v1/.tmp-*-a.json.json",
            "Replace v1/a.json", "Replace .exportflows-meta/v1/a.json.json"], shown);
    }

    [Fact]
    public async Task WriteAsync_LockHeldByAnotherWriter_WaitsThenWrites()
    {
        var store = new LocalFolderObjectStore(_root.Path);
        await Write(store, "v1/a.json", "{}");
        var held = PhysicalStoreFileSystem.Instance.OpenLock(_root.Sub(".exportflows-meta/v1/a.json.json.lock"));
        var writing = Write(store, "v1/a.json", "{ }");
        await Task.Delay(200);
        Assert.False(writing.IsCompleted);

        held.Dispose();
        await writing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("2", (await store.GetMetadataAsync("v1/a.json"))!.Generation);
    }

    private LocalFolderObjectStore Store(Func<string, string, Exception?> fault) => new(_root.Path, new FaultyFileSystem(fault));

    private static Task<ObjectMetadata> Write(LocalFolderObjectStore store, string name, string json) =>
        store.WriteAsync(name, System.Text.Encoding.UTF8.GetBytes(json), "application/json", "x");

    public void Dispose() => _root.Dispose();
}
