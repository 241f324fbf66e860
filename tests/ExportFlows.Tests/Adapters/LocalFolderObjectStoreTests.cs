using ExportFlows.Activities.Storage;
using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Adapters;

public sealed class LocalFolderObjectStoreTests : IDisposable
{
    private readonly TempFolder _root = new();

    [Fact]
    public async Task WriteAsync_NewObject_WritesBytesAndMetadataWithoutTemporaryFiles()
    {
        var store = new LocalFolderObjectStore(_root.Path);
        var written = await store.WriteAsync("v1/picks/2026-02-03.json", "{\"a\":1}"u8.ToArray(), "application/json", "public, max-age=300");

        Assert.Equal("{\"a\":1}", await File.ReadAllTextAsync(_root.Sub("v1/picks/2026-02-03.json")));
        Assert.Equal("1", written.Generation);
        var metadata = await store.GetMetadataAsync("v1/picks/2026-02-03.json");
        Assert.Equal(("public, max-age=300", "application/json", 7L), (metadata!.CacheControl, metadata.ContentType, metadata.Size));
        Assert.DoesNotContain(_root.Files(), f => f.Contains(".tmp-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_Overwrite_IncrementsGenerationAndListsOnlyObjects()
    {
        var store = new LocalFolderObjectStore(_root.Path);
        await store.WriteAsync("v1/systems/subsets.json", "{}"u8.ToArray(), "application/json", "public, max-age=86400");
        var second = await store.WriteAsync("v1/systems/subsets.json", "{ }"u8.ToArray(), "application/json", "public, max-age=86400");

        Assert.Equal("2", second.Generation);
        var listed = await store.ListAsync("v1/");
        Assert.Equal(["v1/systems/subsets.json"], listed.Select(o => o.Name));
    }

    [Theory]
    [InlineData("../outside.json")]
    [InlineData("v1/../../outside.json")]
    [InlineData("/etc/passwd")]
    [InlineData("v1//x.json")]
    [InlineData("v1\\x.json")]
    [InlineData("")]
    [InlineData("v1/a\u0001b.json")]
    public async Task WriteAsync_NameEscapingRoot_RejectedAndNothingWritten(string name)
    {
        var store = new LocalFolderObjectStore(_root.Sub("bucket"));
        await Assert.ThrowsAsync<InvalidObjectNameException>(() => store.WriteAsync(name, "{}"u8.ToArray(), "application/json", "x"));
        Assert.Empty(_root.Files());
    }

    [Fact]
    public async Task GetMetadataAsync_Missing_ReturnsNull()
    {
        Assert.Null(await new LocalFolderObjectStore(_root.Path).GetMetadataAsync("v1/none.json"));
    }

    [Fact]
    public async Task WriteAsync_StaleGeneration_PreconditionFailsAndFileKept()
    {
        var store = new LocalFolderObjectStore(_root.Path);
        await store.WriteAsync("v1/a.json", "{\"v\":1}"u8.ToArray(), "application/json", "x", new ObjectWriteOptions("0"));
        await store.WriteAsync("v1/a.json", "{\"v\":2}"u8.ToArray(), "application/json", "x", new ObjectWriteOptions("1"));

        await Assert.ThrowsAsync<ObjectPreconditionFailedException>(() =>
            store.WriteAsync("v1/a.json", "{\"v\":3}"u8.ToArray(), "application/json", "x", new ObjectWriteOptions("1")));
        await Assert.ThrowsAsync<ObjectPreconditionFailedException>(() =>
            store.WriteAsync("v1/a.json", "{\"v\":3}"u8.ToArray(), "application/json", "x", new ObjectWriteOptions("0")));
        Assert.Equal("{\"v\":2}", await File.ReadAllTextAsync(_root.Sub("v1/a.json")));
        Assert.Equal("2", (await store.GetMetadataAsync("v1/a.json"))!.Generation);
    }

    [Fact]
    public async Task WriteAsync_EightStoresWritingAtOnce_NoGenerationLost()
    {
        // Separate instances share nothing in memory, like separate processes: only the lock file orders them.
        var stores = Enumerable.Range(0, 8).Select(_ => new LocalFolderObjectStore(_root.Path)).ToList();
        await Task.WhenAll(Enumerable.Range(0, 96).Select(i => Task.Run(() =>
            stores[i % stores.Count].WriteAsync("v1/systems/subsets.json", System.Text.Encoding.UTF8.GetBytes($"{{\"i\":{i}}}"), "application/json", "x"))));

        Assert.Equal("96", (await stores[0].GetMetadataAsync("v1/systems/subsets.json"))!.Generation);
    }

    [Fact]
    public async Task GetMetadataAsync_CorruptSideFile_DescribedFromFileAndRepairedByNextWrite()
    {
        var store = new LocalFolderObjectStore(_root.Path);
        await store.WriteAsync("v1/a.json", "{}"u8.ToArray(), "application/json", "x");
        await File.WriteAllTextAsync(_root.Sub(".exportflows-meta/v1/a.json.json"), "{\"Name\": \"v1/a.json\", \"Generation\": ");

        var described = await store.GetMetadataAsync("v1/a.json");
        var rewritten = await store.WriteAsync("v1/a.json", "{ }"u8.ToArray(), "application/json", "x", new ObjectWriteOptions(described!.Generation));

        Assert.Equal("0", described.Generation);
        Assert.Equal(("1", "x"), (rewritten.Generation, (await store.GetMetadataAsync("v1/a.json"))!.CacheControl));
    }

    [Fact]
    public async Task WriteAsync_OrphanTemporaryFileFromCrashedWriter_Deleted()
    {
        Directory.CreateDirectory(_root.Sub("v1"));
        var orphan = _root.Sub("v1/.tmp-0123-a.json");
        await File.WriteAllTextAsync(orphan, "{\"partial\":");
        File.SetLastWriteTimeUtc(orphan, DateTime.UtcNow.AddHours(-1));

        await new LocalFolderObjectStore(_root.Path).WriteAsync("v1/a.json", "{}"u8.ToArray(), "application/json", "x");

        Assert.False(File.Exists(orphan));
    }

    [Fact]
    public async Task WriteAsync_FreshOrphanOfSameObject_DeletedByNextWrite()
    {
        // The writer holding the object's lock is its only writer, so a temporary file of it, however new, is an orphan.
        Directory.CreateDirectory(_root.Sub("v1"));
        Directory.CreateDirectory(_root.Sub(".exportflows-meta/v1"));
        var document = _root.Sub("v1/.tmp-0123456789abcdef0123456789abcdef-a.json");
        var side = _root.Sub(".exportflows-meta/v1/.tmp-0123456789abcdef0123456789abcdef-a.json.json");
        await File.WriteAllTextAsync(document, "{\"partial\":");
        await File.WriteAllTextAsync(side, "{");

        await new LocalFolderObjectStore(_root.Path).WriteAsync("v1/a.json", "{}"u8.ToArray(), "application/json", "x");

        Assert.Equal([".exportflows-meta/v1/a.json.json", ".exportflows-meta/v1/a.json.json.lock", "v1/a.json"], _root.Files());
    }

    [Fact]
    public async Task WriteAsync_FreshTemporaryOfAnotherObject_KeptForItsWriter()
    {
        Directory.CreateDirectory(_root.Sub("v1"));
        var other = _root.Sub("v1/.tmp-0123456789abcdef0123456789abcdef-b.json");
        var longerName = _root.Sub("v1/.tmp-0123456789abcdef0123456789abcdef-xa.json");
        await File.WriteAllTextAsync(other, "{");
        await File.WriteAllTextAsync(longerName, "{");

        await new LocalFolderObjectStore(_root.Path).WriteAsync("v1/a.json", "{}"u8.ToArray(), "application/json", "x");

        Assert.True(File.Exists(other) && File.Exists(longerName));
    }

    [Fact]
    public async Task WriteAsync_GeneratedAtAndEmpty_KeptAsMetadata()
    {
        var store = new LocalFolderObjectStore(_root.Path);
        var at = new DateTimeOffset(2026, 2, 3, 17, 30, 0, TimeSpan.Zero);
        await store.WriteAsync("v1/a.json", "{}"u8.ToArray(), "application/json", "x", new ObjectWriteOptions(null, at, true));

        var metadata = await store.GetMetadataAsync("v1/a.json");
        Assert.Equal((at, (bool?)true), (metadata!.GeneratedAt, metadata.Empty));
    }

    public void Dispose() => _root.Dispose();
}
