using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ExportFlows.Tests.Support;

/// <summary>
/// Speaks the parts of the Cloud Storage JSON API the store uses: multipart upload, objects.get (metadata),
/// objects.list with prefix and page tokens, and error bodies in Google's format.
/// </summary>
public sealed class FakeGcsServer : LoopbackServer
{
    public sealed record StoredObject(string Name, byte[] Content, string ContentType, string? CacheControl, long Generation, DateTimeOffset Updated,
        Dictionary<string, string>? Metadata = null);

    public Dictionary<string, StoredObject> Objects { get; } = new(StringComparer.Ordinal);

    public Queue<int> UploadFailures { get; } = new();

    public int ListPageSize { get; set; } = 2;

    private long _generation = 1_700_000_000_000_000;

    protected override async Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        var path = request.Path;
        if (request.Method == "POST" && path.StartsWith("/upload/storage/v1/b/", StringComparison.Ordinal))
        {
            if (UploadFailures.TryDequeue(out var status))
            {
                await ErrorAsync(context, status, "backendError", "Backend Error");
                return;
            }
            if (context.Request.Query["uploadType"] != "multipart")
            {
                await ErrorAsync(context, 400, "invalid", "uploadType must be multipart");
                return;
            }
            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value!;
            var reader = new MultipartReader(boundary, new MemoryStream(request.Body));
            var metaSection = (await reader.ReadNextSectionAsync())!;
            var meta = await System.Text.Json.JsonDocument.ParseAsync(metaSection.Body);
            var mediaSection = (await reader.ReadNextSectionAsync())!;
            using var media = new MemoryStream();
            await mediaSection.Body.CopyToAsync(media);
            var name = meta.RootElement.GetProperty("name").GetString()!;
            var custom = meta.RootElement.TryGetProperty("metadata", out var m)
                ? m.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : null;
            StoredObject stored;
            lock (Objects)
            {
                // ifGenerationMatch: 0 means "must not exist", any other value the current generation.
                if (long.TryParse(context.Request.Query["ifGenerationMatch"], out var expected) &&
                    expected != (Objects.TryGetValue(name, out var current) ? current.Generation : 0))
                {
                    stored = null!;
                }
                else
                {
                    stored = new StoredObject(name, media.ToArray(), meta.RootElement.GetProperty("contentType").GetString()!,
                        meta.RootElement.TryGetProperty("cacheControl", out var cc) ? cc.GetString() : null, ++_generation, DateTimeOffset.UtcNow, custom);
                    Objects[name] = stored;
                }
            }
            if (stored is null)
            {
                await ErrorAsync(context, 412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
                return;
            }
            await JsonAsync(context, 200, Resource(stored));
            return;
        }
        const string objectsPrefix = "/storage/v1/b/";
        if (request.Method == "GET" && path.StartsWith(objectsPrefix, StringComparison.Ordinal))
        {
            var rest = path[objectsPrefix.Length..];
            var marker = rest.IndexOf("/o", StringComparison.Ordinal);
            var objectPart = rest[(marker + 2)..];
            if (objectPart.Length > 1)
            {
                var name = Uri.UnescapeDataString(objectPart[1..]);
                StoredObject? found;
                lock (Objects)
                {
                    found = Objects.GetValueOrDefault(name);
                }
                await (found is null ? ErrorAsync(context, 404, "notFound", "No such object: " + name) : JsonAsync(context, 200, Resource(found)));
                return;
            }
            var prefix = context.Request.Query["prefix"].ToString();
            var offset = int.TryParse(context.Request.Query["pageToken"], out var token) ? token : 0;
            List<StoredObject> matching;
            lock (Objects)
            {
                matching = Objects.Values.Where(o => o.Name.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
            }
            var body = new Dictionary<string, object> { ["items"] = matching.Skip(offset).Take(ListPageSize).Select(Resource).ToList() };
            if (offset + ListPageSize < matching.Count)
            {
                body["nextPageToken"] = (offset + ListPageSize).ToString(CultureInfo.InvariantCulture);
            }
            await JsonAsync(context, 200, body);
            return;
        }
        await ErrorAsync(context, 404, "notFound", "unknown endpoint " + path);
    }

    private static Dictionary<string, object?> Resource(StoredObject o) => new()
    {
        ["kind"] = "storage#object",
        ["name"] = o.Name,
        ["bucket"] = "test-bucket",
        ["generation"] = o.Generation.ToString(CultureInfo.InvariantCulture),
        ["size"] = o.Content.Length.ToString(CultureInfo.InvariantCulture),
        ["contentType"] = o.ContentType,
        ["cacheControl"] = o.CacheControl,
        ["updated"] = o.Updated.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["md5Hash"] = Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(o.Content)),
        ["metadata"] = o.Metadata,
    };
}
