using System.Text;
using ExportFlows.Activities;
using ExportFlows.Activities.Google;
using ExportFlows.Activities.Storage;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Adapters;

public sealed class GcsObjectStoreTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FakeGcsServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private GcsObjectStore Store()
    {
        var options = new GcsOptions { Bucket = "test-bucket", BaseUri = _server.BaseUri };
        return new GcsObjectStore(options, GcsObjectStore.CreateClient(options, new StaticTokenSource("test-token"), anonymous: false),
            new RetryPolicy(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5)));
    }

    private static System.Collections.Specialized.NameValueCollection Query(RecordedRequest request) => System.Web.HttpUtility.ParseQueryString(request.Query);

    [Fact]
    public async Task WriteAsync_OneUploadSession_MetadataWithTheBytesAndServerHoldsThemExactly()
    {
        var content = Encoding.UTF8.GetBytes("{\n  \"player\": \"Nikola Jokić\"\n}");
        var written = await Store().WriteAsync("v1/picks/2026-02-03.json", content, "application/json", "public, max-age=300");

        // One upload: the session is opened with contentType and cacheControl, then the bytes complete it; no patch afterwards.
        Assert.Equal(["POST", "PUT"], _server.Requests.Select(r => r.Method));
        var start = _server.Requests[0];
        Assert.Equal("/upload/storage/v1/b/test-bucket/o", start.Path);
        Assert.Equal("resumable", Query(start)["uploadType"]);
        using (var meta = System.Text.Json.JsonDocument.Parse(start.Body))
        {
            Assert.Equal(("v1/picks/2026-02-03.json", "application/json", "public, max-age=300"),
                (meta.RootElement.GetProperty("name").GetString(), meta.RootElement.GetProperty("contentType").GetString(), meta.RootElement.GetProperty("cacheControl").GetString()));
        }
        Assert.All(_server.Requests, r => Assert.Equal("Bearer test-token", r.Authorization));
        var stored = _server.Objects["v1/picks/2026-02-03.json"];
        Assert.Equal(content, stored.Content);
        Assert.Equal("application/json", stored.ContentType);
        Assert.Equal("public, max-age=300", stored.CacheControl);
        Assert.Equal(content.Length, written.Size);
        Assert.Equal(stored.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture), written.Generation);
    }

    [Fact]
    public async Task WriteAsync_Conditional503ThenSuccess_Retried()
    {
        // Exports always write conditionally (ifGenerationMatch), which makes the upload idempotent and so retried.
        _server.UploadFailures.Enqueue(503);
        await Store().WriteAsync("v1/systems/subsets.json", "{}"u8.ToArray(), "application/json", "public, max-age=86400", new ObjectWriteOptions("0"));

        Assert.Equal(["POST", "POST", "PUT"], _server.Requests.Select(r => r.Method));
        Assert.Equal("public, max-age=86400", _server.Objects["v1/systems/subsets.json"].CacheControl);
    }

    [Fact]
    public async Task WriteAsync_403_RejectedAsNonRetryableApiError()
    {
        _server.UploadFailures.Enqueue(403);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            Store().WriteAsync("v1/systems/subsets.json", "{}"u8.ToArray(), "application/json", "x", new ObjectWriteOptions("0")));

        Assert.Equal((403, false), (error.StatusCode, error.Retryable));
        Assert.Empty(_server.Objects);
    }

    [Theory]
    [InlineData("0")]
    [InlineData(null)]
    public async Task WriteAsync_ConnectionResetOnEveryUpload_NamesObjectStoreAndNextStep(string? ifGenerationMatch)
    {
        _server.ResetWhen = r => r.Path.StartsWith("/upload/", StringComparison.Ordinal);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => Store().WriteAsync("v1/picks/2026-02-03.json", "{}"u8.ToArray(), "application/json",
            "public, max-age=300", new ObjectWriteOptions(ifGenerationMatch))).WaitAsync(TimeSpan.FromSeconds(30));

        output.WriteLine($"connection reset on every upload: {watch.Elapsed.TotalMilliseconds:F0} ms: {error.Message}");
        Assert.Equal(("connectionFailed", true), (error.Reason, error.Retryable));
        Assert.Equal(ExportErrorTypes.ApiUnavailable, ExportActivities.Classify(error));
        Assert.Contains($"upload of v1/picks/2026-02-03.json to gs://test-bucket failed: the connection to {_server.BaseUri.Authority} broke (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("; nothing was published (the object is as it was): check the network path to Cloud Storage " +
            "(a proxy or firewall that resets connections?), then rerun the export", error.Message, StringComparison.Ordinal);
        // A conditional upload is idempotent and so retried (the policy's three attempts); an unconditional one is not.
        Assert.Equal(ifGenerationMatch is null ? 1 : 3, _server.Requests.Count(r => r.Method == "POST"));
        Assert.Empty(_server.Objects);
    }

    [Fact]
    public async Task ReadsAsync_ConnectionReset_NameWhatWasReadAndTheBucket()
    {
        _server.ResetWhen = _ => true;

        var metadata = await Assert.ThrowsAsync<GoogleApiException>(() => Store().GetMetadataAsync("v1/picks/2026-02-03.json")).WaitAsync(TimeSpan.FromSeconds(30));
        var listing = await Assert.ThrowsAsync<GoogleApiException>(() => Store().ListAsync("v1/picks/")).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("Cloud Storage error 0 (connectionFailed): reading the metadata of v1/picks/2026-02-03.json in gs://test-bucket failed: the connection to ",
            metadata.Message, StringComparison.Ordinal);
        Assert.StartsWith("Cloud Storage error 0 (connectionFailed): listing v1/picks/ in gs://test-bucket failed: the connection to ", listing.Message, StringComparison.Ordinal);
        Assert.All([metadata, listing], e => Assert.EndsWith("then rerun the export", e.Message, StringComparison.Ordinal));
        Assert.All([metadata, listing], e => Assert.Equal(ExportErrorTypes.ApiUnavailable, ExportActivities.Classify(e)));
    }

    [Fact]
    public async Task GetMetadataAsync_ExistingAndMissing_ReturnsMetadataOrNull()
    {
        var store = Store();
        await store.WriteAsync("v1/signals/2026-02-03.json", "{\"a\":1}"u8.ToArray(), "application/json", "public, max-age=300");

        var found = await store.GetMetadataAsync("v1/signals/2026-02-03.json");
        Assert.NotNull(found);
        Assert.Equal(7, found.Size);
        Assert.Equal("public, max-age=300", found.CacheControl);
        Assert.Equal("/storage/v1/b/test-bucket/o/v1%2Fsignals%2F2026-02-03.json", _server.Requests[^1].Path);
        Assert.Null(await store.GetMetadataAsync("v1/signals/1999-01-01.json"));
    }

    [Fact]
    public async Task ListAsync_ThreePages_ReturnsEveryObjectUnderPrefix()
    {
        var store = Store();
        foreach (var name in new[] { "v1/picks/a.json", "v1/picks/b.json", "v1/picks/c.json", "v1/picks/d.json", "v1/picks/e.json", "v1/other/x.json" })
        {
            await store.WriteAsync(name, "{}"u8.ToArray(), "application/json", "public, max-age=300");
        }
        var listed = await store.ListAsync("v1/picks/");

        Assert.Equal(["v1/picks/a.json", "v1/picks/b.json", "v1/picks/c.json", "v1/picks/d.json", "v1/picks/e.json"], listed.Select(o => o.Name));
        Assert.Equal(3, _server.Requests.Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task WriteAsync_RejectedName_SendsNothing()
    {
        await Assert.ThrowsAsync<InvalidObjectNameException>(() => Store().WriteAsync("v1/../../etc/passwd", "{}"u8.ToArray(), "application/json", "x"));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task WriteAsync_IfGenerationMatch_SentAndAConflictWritesNothing()
    {
        var store = Store();
        var at = new DateTimeOffset(2026, 2, 3, 17, 30, 0, TimeSpan.Zero);
        var first = await store.WriteAsync("v1/a.json", "{\"v\":1}"u8.ToArray(), "application/json", "x", new ObjectWriteOptions("0", at, false));

        await Assert.ThrowsAsync<ObjectPreconditionFailedException>(() =>
            store.WriteAsync("v1/a.json", "{\"v\":2}"u8.ToArray(), "application/json", "x", new ObjectWriteOptions("0")));

        Assert.Equal("0", Query(_server.Requests[0])["ifGenerationMatch"]);
        Assert.Equal(["POST", "PUT", "POST", "PUT"], _server.Requests.Select(r => r.Method)); // a 412 is final, not retried
        Assert.Equal("{\"v\":1}", Encoding.UTF8.GetString(_server.Objects["v1/a.json"].Content));
        var metadata = await store.GetMetadataAsync("v1/a.json");
        Assert.Equal((first.Generation, (DateTimeOffset?)at, (bool?)false), (metadata!.Generation, metadata.GeneratedAt, metadata.Empty));
    }

    [Theory]
    [InlineData("v1\\x.json")]
    [InlineData("v1//x.json")]
    [InlineData("v1/a\u0007.json")]
    public async Task WriteAsync_NameTheFolderStoreRejects_RejectedWithoutRequest(string name)
    {
        await Assert.ThrowsAsync<InvalidObjectNameException>(() => Store().WriteAsync(name, "{}"u8.ToArray(), "application/json", "x"));
        Assert.Empty(_server.Requests);
    }
}
