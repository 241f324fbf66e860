using System.Security.Cryptography;
using System.Text.Json;

namespace ExportFlows.Activities.Storage;

/// <summary>
/// A folder used as a bucket. Objects are written to a temporary file beside the target and renamed over it;
/// their metadata (content type, Cache-Control, generation, hash) is kept under <c>.exportflows-meta/</c> in the root.
/// </summary>
public sealed class LocalFolderObjectStore : IObjectStore
{
    private const string MetaFolder = ".exportflows-meta";
    private readonly string _root;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public LocalFolderObjectStore(string root)
    {
        _root = Path.GetFullPath(root);
    }

    public string Description => $"dir:{_root}";

    public string Root => _root;

    public string PathOf(string name) => Resolve(_root, name);

    public async Task<ObjectMetadata> WriteAsync(string name, ReadOnlyMemory<byte> content, string contentType, string cacheControl, CancellationToken cancellationToken = default)
    {
        var target = Resolve(_root, name);
        var metaPath = Resolve(Path.Combine(_root, MetaFolder), name + ".json");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var previous = await ReadMetadataAsync(metaPath, cancellationToken);
            var generation = (previous is null ? 0 : long.Parse(previous.Generation, System.Globalization.CultureInfo.InvariantCulture)) + 1;
            var metadata = new ObjectMetadata(name, content.Length, contentType, cacheControl, DateTimeOffset.UtcNow,
                generation.ToString(System.Globalization.CultureInfo.InvariantCulture), Convert.ToBase64String(MD5.HashData(content.Span)));
            await WriteAtomicallyAsync(target, content, cancellationToken);
            await WriteAtomicallyAsync(metaPath, JsonSerializer.SerializeToUtf8Bytes(metadata), cancellationToken);
            return metadata;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ObjectMetadata?> GetMetadataAsync(string name, CancellationToken cancellationToken = default)
    {
        var target = Resolve(_root, name);
        if (!File.Exists(target))
        {
            return null;
        }
        var meta = await ReadMetadataAsync(Resolve(Path.Combine(_root, MetaFolder), name + ".json"), cancellationToken);
        var info = new FileInfo(target);
        // A file copied in by hand has no metadata: describe it from the file system.
        return meta is not null && meta.Size == info.Length
            ? meta
            : new ObjectMetadata(name, info.Length, "application/octet-stream", null, info.LastWriteTimeUtc, "0", null);
    }

    public async Task<IReadOnlyList<ObjectMetadata>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_root))
        {
            return [];
        }
        var names = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(_root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(n => !n.StartsWith(MetaFolder + "/", StringComparison.Ordinal) && !IsTemporary(n) && n.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        var result = new List<ObjectMetadata>();
        foreach (var name in names)
        {
            if (await GetMetadataAsync(name, cancellationToken) is { } meta)
            {
                result.Add(meta);
            }
        }
        return result;
    }

    /// <summary>Maps an object name to a path under <paramref name="root"/>, rejecting names that would leave it.</summary>
    public static string Resolve(string root, string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.StartsWith('/') || name.Contains('\\') || name.Contains('\0') || name.Any(char.IsControl))
        {
            throw new InvalidObjectNameException($"invalid object name '{name}': must be a relative name with '/' separators");
        }
        if (name.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new InvalidObjectNameException($"invalid object name '{name}': empty, '.' or '..' segments are not allowed");
        }
        var full = Path.GetFullPath(Path.Combine(root, name));
        var rootWithSeparator = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw new InvalidObjectNameException($"invalid object name '{name}': it would escape the store root {root}");
        }
        return full;
    }

    private static bool IsTemporary(string name) => Path.GetFileName(name).StartsWith(".tmp-", StringComparison.Ordinal);

    private static async Task WriteAtomicallyAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".tmp-{Guid.NewGuid():N}-{Path.GetFileName(path)}");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static async Task<ObjectMetadata?> ReadMetadataAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<ObjectMetadata>(stream, cancellationToken: cancellationToken);
    }
}
