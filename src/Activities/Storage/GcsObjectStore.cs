using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ExportFlows.Activities.Google;

namespace ExportFlows.Activities.Storage;

public sealed record GcsOptions
{
    public required string Bucket { get; init; }

    /// <summary>API root; <c>STORAGE_EMULATOR_HOST</c> or the in-test server override it.</summary>
    public Uri BaseUri { get; init; } = new("https://storage.googleapis.com/");
}

/// <summary>
/// Google Cloud Storage over the JSON API. One multipart upload carries the bytes together with contentType and
/// cacheControl, so an object is never visible with the bucket's default caching (the original patched it afterwards).
/// </summary>
public sealed class GcsObjectStore(GcsOptions options, GoogleApiClient client) : IObjectStore
{
    public string Description => $"gs://{options.Bucket}";

    public async Task<ObjectMetadata> WriteAsync(string name, ReadOnlyMemory<byte> content, string contentType, string cacheControl, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        var metadata = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["name"] = name,
            ["contentType"] = contentType,
            ["cacheControl"] = cacheControl,
        });
        var url = new Uri(options.BaseUri, $"upload/storage/v1/b/{Uri.EscapeDataString(options.Bucket)}/o?uploadType=multipart");
        using var doc = await client.SendJsonAsync(() =>
        {
            var body = new MultipartContent("related", "exportflows-" + Guid.NewGuid().ToString("N"));
            var metaPart = new ByteArrayContent(metadata);
            metaPart.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
            var mediaPart = new ReadOnlyMemoryContent(content);
            mediaPart.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            body.Add(metaPart);
            body.Add(mediaPart);
            return new HttpRequestMessage(HttpMethod.Post, url) { Content = body };
        }, cancellationToken);
        return Parse(doc.RootElement);
    }

    public async Task<ObjectMetadata?> GetMetadataAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        var url = new Uri(options.BaseUri, $"storage/v1/b/{Uri.EscapeDataString(options.Bucket)}/o/{Uri.EscapeDataString(name)}");
        using var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken, notFoundIsNull: true);
        if (response is null)
        {
            return null;
        }
        using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return Parse(doc.RootElement);
    }

    public async Task<IReadOnlyList<ObjectMetadata>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var result = new List<ObjectMetadata>();
        string? pageToken = null;
        do
        {
            var query = new StringBuilder($"storage/v1/b/{Uri.EscapeDataString(options.Bucket)}/o?prefix={Uri.EscapeDataString(prefix)}");
            if (pageToken is not null)
            {
                query.Append("&pageToken=").Append(Uri.EscapeDataString(pageToken));
            }
            var url = new Uri(options.BaseUri, query.ToString());
            using var doc = await client.SendJsonAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
            if (doc.RootElement.TryGetProperty("items", out var items))
            {
                result.AddRange(items.EnumerateArray().Select(Parse));
            }
            pageToken = doc.RootElement.TryGetProperty("nextPageToken", out var token) ? token.GetString() : null;
        }
        while (!string.IsNullOrEmpty(pageToken));
        return result;
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.StartsWith('/') || name.Split('/').Any(s => s is "." or ".."))
        {
            throw new InvalidObjectNameException($"invalid object name '{name}'");
        }
    }

    private static ObjectMetadata Parse(JsonElement o) => new(
        o.GetProperty("name").GetString()!,
        long.Parse(o.GetProperty("size").GetString() ?? "0", CultureInfo.InvariantCulture),
        o.TryGetProperty("contentType", out var ct) ? ct.GetString() ?? "" : "",
        o.TryGetProperty("cacheControl", out var cc) ? cc.GetString() : null,
        o.TryGetProperty("updated", out var u) ? DateTimeOffset.Parse(u.GetString()!, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue,
        o.TryGetProperty("generation", out var g) ? g.GetString() ?? "" : "",
        o.TryGetProperty("md5Hash", out var md5) ? md5.GetString() : null);
}
