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

    public const string GeneratedAtKey = "generated_at";

    public const string EmptyKey = "empty";

    public async Task<ObjectMetadata> WriteAsync(string name, ReadOnlyMemory<byte> content, string contentType, string cacheControl,
        ObjectWriteOptions? write = null, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(name);
        var resource = new Dictionary<string, object>
        {
            ["name"] = name,
            ["contentType"] = contentType,
            ["cacheControl"] = cacheControl,
        };
        var custom = new Dictionary<string, string>();
        if (write?.GeneratedAt is { } generatedAt)
        {
            custom[GeneratedAtKey] = generatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        }
        if (write?.Empty is { } empty)
        {
            custom[EmptyKey] = empty ? "true" : "false";
        }
        if (custom.Count > 0)
        {
            resource["metadata"] = custom;
        }
        var metadata = JsonSerializer.SerializeToUtf8Bytes(resource);
        var query = "uploadType=multipart";
        if (write?.IfGenerationMatch is { } generation)
        {
            query += "&ifGenerationMatch=" + Uri.EscapeDataString(generation);
        }
        var url = new Uri(options.BaseUri, $"upload/storage/v1/b/{Uri.EscapeDataString(options.Bucket)}/o?{query}");
        try
        {
            using var doc = await UploadAsync(url, metadata, content, contentType, cancellationToken);
            return Parse(doc.RootElement);
        }
        catch (GoogleApiException ex) when (ex.StatusCode == 412)
        {
            throw new ObjectPreconditionFailedException($"{name}: generation is no longer {write?.IfGenerationMatch}; another run wrote it meanwhile");
        }
    }

    private Task<JsonDocument> UploadAsync(Uri url, byte[] metadata, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        client.SendJsonAsync(() =>
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

    public async Task<ObjectMetadata?> GetMetadataAsync(string name, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(name);
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

    private static ObjectMetadata Parse(JsonElement o)
    {
        var custom = o.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        string? Custom(string key) => custom.ValueKind == JsonValueKind.Object && custom.TryGetProperty(key, out var v) ? v.GetString() : null;
        return new(
        o.GetProperty("name").GetString()!,
        long.Parse(o.GetProperty("size").GetString() ?? "0", CultureInfo.InvariantCulture),
        o.TryGetProperty("contentType", out var ct) ? ct.GetString() ?? "" : "",
        o.TryGetProperty("cacheControl", out var cc) ? cc.GetString() : null,
        o.TryGetProperty("updated", out var u) ? DateTimeOffset.Parse(u.GetString()!, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue,
        o.TryGetProperty("generation", out var g) ? g.GetString() ?? "" : "",
        o.TryGetProperty("md5Hash", out var md5) ? md5.GetString() : null,
        DateTimeOffset.TryParse(Custom(GeneratedAtKey), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var generatedAt) ? generatedAt : null,
        bool.TryParse(Custom(EmptyKey), out var empty) ? empty : null);
    }
}
