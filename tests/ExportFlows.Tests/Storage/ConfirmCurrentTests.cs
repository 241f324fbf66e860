using ExportFlows.Activities.Google;
using ExportFlows.Activities.Storage;
using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Storage;

/// <summary>
/// Both stores keep when and from what a document's inputs were read, and record a confirmation in the metadata alone:
/// content and generation stay, and a confirmation of a generation that is no longer there is refused.
/// </summary>
public sealed class ConfirmCurrentTests : IAsyncLifetime
{
    private const string Name = "v1/subsets/performance.json";
    private static readonly DateTimeOffset ReadAt = new(2026, 2, 10, 3, 0, 0, TimeSpan.Zero);
    private static readonly DocumentInputs Inputs = new(ReadAt, "as_of=2026-02-10;model=catboost_v9;season_start=-;build=abc");
    private static readonly DateTimeOffset ConfirmedAt = ReadAt.AddHours(1);

    private readonly TempFolder _temp = new();
    private readonly FakeGcsServer _gcs = new();

    public Task InitializeAsync() => _gcs.StartAsync();

    public async Task DisposeAsync()
    {
        await _gcs.DisposeAsync();
        _temp.Dispose();
    }

    private IObjectStore Store(string kind)
    {
        if (kind == "dir")
        {
            return new LocalFolderObjectStore(_temp.Path);
        }
        var options = new GcsOptions { Bucket = "test-bucket", BaseUri = _gcs.BaseUri };
        return new GcsObjectStore(options, GcsObjectStore.CreateClient(options, new StaticTokenSource("test-token"), anonymous: false),
            new RetryPolicy(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5)));
    }

    [Theory]
    [InlineData("dir")]
    [InlineData("gcs")]
    public async Task ConfirmCurrentAsync_SameGeneration_RecordedWithInputsKeptAndGenerationUnchanged(string kind)
    {
        var store = Store(kind);
        var written = await store.WriteAsync(Name, "{\"a\":1}"u8.ToArray(), "application/json", "public, max-age=3600", new ObjectWriteOptions("0", ReadAt, false, Inputs));

        var confirmed = await store.ConfirmCurrentAsync(Name, written.Generation, ConfirmedAt);
        var read = (await store.GetMetadataAsync(Name))!;

        Assert.Equal((Inputs, (DateTimeOffset?)ConfirmedAt), (confirmed!.Inputs, confirmed.ConfirmedAt));
        Assert.Equal((written.Generation, written.Md5Hash, (DateTimeOffset?)ReadAt, Inputs, (DateTimeOffset?)ConfirmedAt),
            (read.Generation, read.Md5Hash, read.GeneratedAt, read.Inputs, read.ConfirmedAt));
    }

    [Theory]
    [InlineData("dir")]
    [InlineData("gcs")]
    public async Task ConfirmCurrentAsync_ReplacedMeanwhile_RefusedAndNothingRecorded(string kind)
    {
        var store = Store(kind);
        var first = await store.WriteAsync(Name, "{\"a\":1}"u8.ToArray(), "application/json", "public, max-age=3600", new ObjectWriteOptions("0", ReadAt, false, Inputs));
        await store.WriteAsync(Name, "{\"a\":2}"u8.ToArray(), "application/json", "public, max-age=3600", new ObjectWriteOptions(first.Generation, ReadAt.AddMinutes(5)));

        Assert.Null(await store.ConfirmCurrentAsync(Name, first.Generation, ConfirmedAt));
        Assert.Null(await store.ConfirmCurrentAsync("v1/systems/subsets.json", "1", ConfirmedAt));
        Assert.Null((await store.GetMetadataAsync(Name))!.ConfirmedAt);
    }

    [Fact]
    public async Task ConfirmCurrentAsync_Gcs_OnePatchOfOneKeyWithIfGenerationMatch()
    {
        var store = Store("gcs");
        var written = await store.WriteAsync(Name, "{}"u8.ToArray(), "application/json", "public, max-age=3600", new ObjectWriteOptions("0", ReadAt, false, Inputs));
        var before = _gcs.Requests.Count;

        await store.ConfirmCurrentAsync(Name, written.Generation, ConfirmedAt);

        var patch = Assert.Single(_gcs.Requests.Skip(before));
        Assert.Equal("PATCH", patch.Method);
        Assert.Contains($"ifGenerationMatch={written.Generation}", patch.Query, StringComparison.Ordinal);
        using var body = System.Text.Json.JsonDocument.Parse(patch.Body);
        Assert.Equal(["confirmed_at"], body.RootElement.GetProperty("metadata").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["confirmed_at", "empty", "generated_at", "inputs_key", "inputs_read_at"], _gcs.Objects[Name].Metadata!.Keys.Order(StringComparer.Ordinal));
    }
}
