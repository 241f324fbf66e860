using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ExportFlows.Tests.Support;

/// <summary>
/// Speaks the parts of the Cloud Storage JSON API that Google.Cloud.Storage.V1 uses: resumable upload (initiation with
/// the object's metadata and preconditions, then the bytes to the session URI), objects.get
/// (metadata), objects.patch of custom metadata (keys merged, generation kept, ifGenerationMatch), objects.list with
/// prefix and page tokens, and error bodies in Google's format.
/// </summary>
public sealed class FakeGcsServer : LoopbackServer
{
    public sealed record StoredObject(string Name, byte[] Content, string ContentType, string? CacheControl, long Generation, DateTimeOffset Updated,
        Dictionary<string, string>? Metadata = null);

    public Dictionary<string, StoredObject> Objects { get; } = new(StringComparer.Ordinal);

    public Queue<int> UploadFailures { get; } = new();

    /// <summary>When set, the connection of every request it matches is reset (aborted) instead of answered.</summary>
    public Func<RecordedRequest, bool>? ResetWhen { get; set; }

    public int ListPageSize { get; set; } = 2;

    private long _generation = 1_700_000_000_000_000;

    private readonly Dictionary<string, (System.Text.Json.JsonElement Meta, string? IfGenerationMatch)> _sessions = new(StringComparer.Ordinal);

    /// <summary>Stores an upload unless its precondition fails (null then); ifGenerationMatch 0 means "must not exist".</summary>
    private StoredObject? Store(System.Text.Json.JsonElement meta, byte[] content, string? ifGenerationMatch)
    {
        var name = meta.GetProperty("name").GetString()!;
        var custom = meta.TryGetProperty("metadata", out var m) && m.ValueKind == System.Text.Json.JsonValueKind.Object
            ? m.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : null;
        lock (Objects)
        {
            if (long.TryParse(ifGenerationMatch, out var expected) && expected != (Objects.TryGetValue(name, out var current) ? current.Generation : 0))
            {
                return null;
            }
            var stored = new StoredObject(name, content, meta.GetProperty("contentType").GetString()!,
                meta.TryGetProperty("cacheControl", out var cc) ? cc.GetString() : null, ++_generation, DateTimeOffset.UtcNow, custom);
            Objects[name] = stored;
            return stored;
        }
    }

    protected override async Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        if (ResetWhen?.Invoke(request) == true)
        {
            context.Abort();
            return;
        }
        var path = request.Path;
        if (request.Method == "POST" && path.StartsWith("/upload/storage/v1/b/", StringComparison.Ordinal))
        {
            if (UploadFailures.TryDequeue(out var status))
            {
                await (status == 403 ? ErrorAsync(context, 403, "forbidden", "caller does not have storage.objects.create access")
                    : ErrorAsync(context, status, "backendError", "Backend Error"));
                return;
            }
            if (context.Request.Query["uploadType"] == "resumable")
            {
                // Initiation: the metadata now, the bytes later to the session URI (Location).
                var id = Guid.NewGuid().ToString("N");
                lock (_sessions)
                {
                    _sessions[id] = (System.Text.Json.JsonDocument.Parse(request.Body).RootElement.Clone(), context.Request.Query["ifGenerationMatch"].FirstOrDefault());
                }
                context.Response.Headers.Location = new Uri(BaseUri, $"upload/storage/v1/b/test-bucket/o?uploadType=resumable&upload_id={id}").ToString();
                context.Response.StatusCode = 200;
                return;
            }
            await ErrorAsync(context, 400, "invalid", "this fake speaks resumable uploads only (what Google.Cloud.Storage.V1 sends)");
            return;
        }
        if (request.Method == "PUT" && path.StartsWith("/upload/storage/v1/b/", StringComparison.Ordinal) && context.Request.Query["upload_id"].FirstOrDefault() is { } uploadId)
        {
            (System.Text.Json.JsonElement Meta, string? IfGenerationMatch) session;
            bool known;
            lock (_sessions)
            {
                known = _sessions.Remove(uploadId, out session);
            }
            if (!known)
            {
                await ErrorAsync(context, 404, "notFound", "no such upload session");
                return;
            }
            await AnswerUploadAsync(context, Store(session.Meta, request.Body, session.IfGenerationMatch));
            return;
        }
        const string objectsPrefix = "/storage/v1/b/";
        if (request.Method == "PATCH" && path.StartsWith(objectsPrefix, StringComparison.Ordinal))
        {
            await PatchAsync(context, request, Uri.UnescapeDataString(path[(path.IndexOf("/o/", StringComparison.Ordinal) + 3)..]));
            return;
        }
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

    private async Task PatchAsync(HttpContext context, RecordedRequest request, string name)
    {
        var patch = System.Text.Json.JsonDocument.Parse(request.Body).RootElement;
        StoredObject? patched = null;
        var status = 200;
        lock (Objects)
        {
            if (!Objects.TryGetValue(name, out var current))
            {
                status = 404;
            }
            else if (long.TryParse(context.Request.Query["ifGenerationMatch"], out var expected) && expected != current.Generation)
            {
                status = 412;
            }
            else
            {
                var metadata = new Dictionary<string, string>(current.Metadata ?? []);
                if (patch.TryGetProperty("metadata", out var keys) && keys.ValueKind == System.Text.Json.JsonValueKind.Object)
                {
                    foreach (var key in keys.EnumerateObject())
                    {
                        metadata[key.Name] = key.Value.GetString()!;
                    }
                }
                // A metadata change keeps the generation and moves 'updated', as on GCS.
                patched = current with { Metadata = metadata, Updated = DateTimeOffset.UtcNow };
                Objects[name] = patched;
            }
        }
        await (status switch
        {
            404 => ErrorAsync(context, 404, "notFound", "No such object: " + name),
            412 => ErrorAsync(context, 412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold."),
            _ => JsonAsync(context, 200, Resource(patched!)),
        });
    }

    private static Task AnswerUploadAsync(HttpContext context, StoredObject? stored) => stored is null
        ? ErrorAsync(context, 412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.")
        : JsonAsync(context, 200, Resource(stored));

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
