using ExportFlows.Activities.Storage;
using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Storage;

public sealed class LocalFolderStoreLinkTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Root => _temp.Sub("store");

    private string Outside => _temp.Sub("elsewhere");

    public LocalFolderStoreLinkTests()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
    }

    [Fact]
    public async Task WriteAsync_FolderLinkedOutsideRoot_RefusedNamingLinkAndNothingCreatedOutside()
    {
        Directory.CreateDirectory(Path.Combine(Root, "v1"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "v1/signals"), Outside);

        var error = await Assert.ThrowsAsync<StoreLinkOutsideRootException>(() => Write("v1/signals/2026-02-03.json"));

        Assert.Equal($"store path {Path.Combine(Root, "v1/signals/2026-02-03.json")} leaves the store root {Root}: " +
            $"{Path.Combine(Root, "v1/signals")} is a symbolic link to {Outside}; remove the link or point it to a place inside the store", error.Message);
        Assert.Empty(_temp.Files("elsewhere"));
        Assert.Empty(_temp.Files("store"));
    }

    [Fact]
    public async Task WriteAsync_DanglingLinkAtDocumentPath_RefusedAndNothingCreatedOutside()
    {
        Directory.CreateDirectory(Path.Combine(Root, "v1/signals"));
        File.CreateSymbolicLink(Path.Combine(Root, "v1/signals/2026-02-03.json"), Path.Combine(Outside, "x.json"));

        var error = await Assert.ThrowsAsync<StoreLinkOutsideRootException>(() => Write("v1/signals/2026-02-03.json"));

        Assert.Contains($"{Path.Combine(Root, "v1/signals/2026-02-03.json")} is a symbolic link to {Path.Combine(Outside, "x.json")}", error.Message, StringComparison.Ordinal);
        Assert.Empty(_temp.Files("elsewhere"));
        Assert.Equal(Path.Combine(Outside, "x.json"), new FileInfo(Path.Combine(Root, "v1/signals/2026-02-03.json")).LinkTarget);
        Assert.False(Directory.Exists(Path.Combine(Root, ".exportflows-meta")));
    }

    [Fact]
    public async Task WriteAsync_MetaFolderLinkedOutside_RefusedAndNothingCreatedOutside()
    {
        Directory.CreateSymbolicLink(Path.Combine(Root, ".exportflows-meta"), Outside);

        var error = await Assert.ThrowsAsync<StoreLinkOutsideRootException>(() => Write("v1/signals/2026-02-03.json"));

        Assert.Contains($"{Path.Combine(Root, ".exportflows-meta")} is a symbolic link to {Outside}", error.Message, StringComparison.Ordinal);
        Assert.Empty(_temp.Files("elsewhere"));
        Assert.Empty(Directory.GetFileSystemEntries(Outside));
        Assert.False(Directory.Exists(Path.Combine(Root, "v1")));
    }

    [Fact]
    public async Task WriteAsync_RelativeLinkClimbingOut_Refused()
    {
        Directory.CreateDirectory(Path.Combine(Root, "v1"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "v1/picks"), "../../elsewhere");

        await Assert.ThrowsAsync<StoreLinkOutsideRootException>(() => Write("v1/picks/a.json"));

        Assert.Empty(Directory.GetFileSystemEntries(Outside));
    }

    [Fact]
    public async Task GetMetadataAsync_FileLinkedOutside_Refused()
    {
        await File.WriteAllTextAsync(Path.Combine(Outside, "secret.json"), "{}");
        Directory.CreateDirectory(Path.Combine(Root, "v1"));
        File.CreateSymbolicLink(Path.Combine(Root, "v1/a.json"), Path.Combine(Outside, "secret.json"));

        await Assert.ThrowsAsync<StoreLinkOutsideRootException>(() => new LocalFolderObjectStore(Root).GetMetadataAsync("v1/a.json"));
    }

    [Fact]
    public async Task ListAsync_FolderLinkedOutside_NotEntered()
    {
        await File.WriteAllTextAsync(Path.Combine(Outside, "x.json"), "{}");
        await Write("v1/a.json");
        Directory.CreateSymbolicLink(Path.Combine(Root, "v1/signals"), Outside);

        var listed = await new LocalFolderObjectStore(Root).ListAsync("");

        Assert.Equal(["v1/a.json"], listed.Select(o => o.Name));
    }

    [Fact]
    public async Task WriteAsync_LinksInsideRoot_Followed()
    {
        Directory.CreateDirectory(Path.Combine(Root, "v1/archive"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "v1/latest"), "archive");

        var written = await Write("v1/latest/a.json");

        Assert.Equal("1", written.Generation);
        Assert.Equal("{}", await File.ReadAllTextAsync(Path.Combine(Root, "v1/archive/a.json")));
        Assert.Empty(Directory.GetFileSystemEntries(Outside));
    }

    [Fact]
    public async Task WriteAsync_RootItselfALink_Written()
    {
        var linkedRoot = _temp.Sub("store-link");
        Directory.CreateSymbolicLink(linkedRoot, Root);

        await new LocalFolderObjectStore(linkedRoot).WriteAsync("v1/a.json", "{}"u8.ToArray(), "application/json", "x");

        Assert.Equal("{}", await File.ReadAllTextAsync(Path.Combine(Root, "v1/a.json")));
    }

    [Fact]
    public async Task WriteAsync_LinkLoop_RefusedNotHung()
    {
        Directory.CreateSymbolicLink(Path.Combine(Root, "v1"), "v1");

        var error = await Assert.ThrowsAsync<StoreLinkOutsideRootException>(() => Write("v1/a.json"));

        Assert.Contains("more than 40 symbolic links", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".exportflows-meta/v1/a.json.json")]
    [InlineData("v1/.tmp-0123456789abcdef0123456789abcdef-a.json")]
    public async Task WriteAsync_NameOfStoreOwnFile_Rejected(string name)
    {
        var error = await Assert.ThrowsAsync<InvalidObjectNameException>(() => Write(name));

        Assert.Contains("are the folder store's own files", error.Message, StringComparison.Ordinal);
        Assert.Empty(_temp.Files("store"));
    }

    private Task<ObjectMetadata> Write(string name) => new LocalFolderObjectStore(Root).WriteAsync(name, "{}"u8.ToArray(), "application/json", "x");

    public void Dispose() => _temp.Dispose();
}
