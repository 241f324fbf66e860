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

    public void Dispose() => _root.Dispose();
}
