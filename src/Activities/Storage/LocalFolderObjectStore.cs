using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace ExportFlows.Activities.Storage;

/// <summary>
/// A folder used as a bucket. Objects are written to a temporary file beside the target and renamed over it; their
/// metadata (content type, Cache-Control, generation, hash, generated_at) is kept under <c>.exportflows-meta/</c> in the
/// root. Each write holds a lock file for its object, so writers in other processes never lose an update and
/// generation preconditions hold across processes as they do on GCS.
/// </summary>
public sealed class LocalFolderObjectStore(string root) : IObjectStore
{
    private const string MetaFolder = ".exportflows-meta";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A temporary file older than this is left over from a crashed writer and is deleted.</summary>
    private static readonly TimeSpan OrphanAge = TimeSpan.FromMinutes(10);

    private readonly string _root = Path.GetFullPath(root);

    public string Description => $"dir:{_root}";

    public string Root => _root;

    public string PathOf(string name) => Resolve(_root, name);

    public async Task<ObjectMetadata> WriteAsync(string name, ReadOnlyMemory<byte> content, string contentType, string cacheControl,
        ObjectWriteOptions? write = null, CancellationToken cancellationToken = default)
    {
        var target = Resolve(_root, name);
        var metaPath = MetaPathOf(name);
        await using var held = await LockAsync(metaPath + ".lock", cancellationToken);
        var current = await CurrentGenerationAsync(target, metaPath, cancellationToken);
        if (write?.IfGenerationMatch is { } expected && expected != (current ?? "0"))
        {
            throw new ObjectPreconditionFailedException(
                $"{name}: expected generation {expected}, found {current ?? "none"}; another run wrote it meanwhile");
        }
        var generation = long.Parse(current ?? "0", CultureInfo.InvariantCulture) + 1;
        var metadata = new ObjectMetadata(name, content.Length, contentType, cacheControl, DateTimeOffset.UtcNow,
            generation.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(MD5.HashData(content.Span)), write?.GeneratedAt, write?.Empty);
        await WriteAtomicallyAsync(target, content, cancellationToken);
        await WriteAtomicallyAsync(metaPath, JsonSerializer.SerializeToUtf8Bytes(metadata), cancellationToken);
        return metadata;
    }

    public async Task<ObjectMetadata?> GetMetadataAsync(string name, CancellationToken cancellationToken = default)
    {
        var target = Resolve(_root, name);
        if (!File.Exists(target))
        {
            return null;
        }
        var meta = await ReadMetadataAsync(MetaPathOf(name), cancellationToken);
        var info = new FileInfo(target);
        // A file copied in by hand, or with unreadable metadata, is described from the file system (generation 0).
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
        ObjectNames.Validate(name);
        var full = Path.GetFullPath(Path.Combine(root, name));
        var rootWithSeparator = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw new InvalidObjectNameException($"invalid object name '{name}': it would escape the store root {root}");
        }
        return full;
    }

    private string MetaPathOf(string name) => Resolve(Path.Combine(_root, MetaFolder), name + ".json");

    private async Task<string?> CurrentGenerationAsync(string target, string metaPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(target))
        {
            return null;
        }
        var meta = await ReadMetadataAsync(metaPath, cancellationToken);
        return meta is not null && meta.Size == new FileInfo(target).Length ? meta.Generation : "0";
    }

    private static async Task<FileStream> LockAsync(string lockPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        var deadline = DateTimeOffset.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock on the file for every process that opens it through .NET.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 20)), cancellationToken);
            }
            catch (IOException ex)
            {
                throw new IOException($"could not lock {lockPath} within {LockTimeout.TotalSeconds:F0} s: another writer holds it ({ex.Message})", ex);
            }
        }
    }

    private static bool IsTemporary(string name) => Path.GetFileName(name).StartsWith(".tmp-", StringComparison.Ordinal);

    private static async Task WriteAtomicallyAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        DeleteOrphans(directory);
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

    private static void DeleteOrphans(string directory)
    {
        var cutoff = DateTime.UtcNow - OrphanAge;
        foreach (var orphan in Directory.EnumerateFiles(directory, ".tmp-*"))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(orphan) < cutoff)
                {
                    File.Delete(orphan);
                }
            }
            catch (IOException)
            {
                // Another process cleaned it up first.
            }
        }
    }

    /// <summary>Null when missing or unreadable: a corrupt side file is replaced by the next write, not fatal.</summary>
    private static async Task<ObjectMetadata?> ReadMetadataAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            await using var stream = File.OpenRead(path);
            var meta = await JsonSerializer.DeserializeAsync<ObjectMetadata>(stream, cancellationToken: cancellationToken);
            return meta is { Name: not null, Generation: not null } && long.TryParse(meta.Generation, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? meta : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
