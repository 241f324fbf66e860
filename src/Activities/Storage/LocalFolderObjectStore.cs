using System.Globalization;
using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text.Json;

namespace ExportFlows.Activities.Storage;

/// <summary>
/// A folder used as a bucket. Objects are written to a temporary file beside the target and renamed over it; their
/// metadata (content type, Cache-Control, generation, hash, generated_at) is kept under <c>.exportflows-meta/</c> in the
/// root. Each write holds a lock file for its object, so writers in other processes never lose an update and
/// generation preconditions hold across processes as they do on GCS. No path leaves the root through a symbolic link
/// (<see cref="StoreLinks"/>), and file-system failures are reported as what they are (<see cref="StoreErrors"/>).
/// </summary>
public sealed class LocalFolderObjectStore(string root, IStoreFileSystem? fileSystem = null) : IObjectStore
{
    private const string MetaFolder = ".exportflows-meta";
    private const string TemporaryPrefix = ".tmp-";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A temporary file of another object older than this is left over from a crashed writer and is deleted.</summary>
    private static readonly TimeSpan OrphanAge = TimeSpan.FromMinutes(10);

    private readonly string _root = Path.GetFullPath(root);

    public string Description => $"dir:{_root}";

    public string Root => _root;

    private readonly IStoreFileSystem _files = new DescribedStoreFileSystem(fileSystem ?? PhysicalStoreFileSystem.Instance, $"dir:{Path.GetFullPath(root)}");

    public string PathOf(string name) => Resolve(_root, name);

    public Task<ObjectMetadata> WriteAsync(string name, ReadOnlyMemory<byte> content, string contentType, string cacheControl,
        ObjectWriteOptions? write = null, CancellationToken cancellationToken = default) =>
        UnderLockAsync(name, async (target, metaPath) =>
        {
            var current = await CurrentGenerationAsync(target, metaPath, cancellationToken);
            if (write?.IfGenerationMatch is { } expected && expected != (current ?? "0"))
            {
                throw new ObjectPreconditionFailedException(
                    $"{name}: expected generation {expected}, found {current ?? "none"}; another run wrote it meanwhile");
            }
            var generation = long.Parse(current ?? "0", CultureInfo.InvariantCulture) + 1;
            var metadata = new ObjectMetadata(name, content.Length, contentType, cacheControl, DateTimeOffset.UtcNow,
                generation.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(MD5.HashData(content.Span)), write?.GeneratedAt, write?.Empty, write?.Inputs);
            await PublishAsync(target, content, metaPath, JsonSerializer.SerializeToUtf8Bytes(metadata), cancellationToken);
            return metadata;
        }, cancellationToken);

    /// <summary>Rewrites the side file alone (whole, then renamed), under the object's lock, if the generation is still the one confirmed.</summary>
    public Task<ObjectMetadata?> ConfirmCurrentAsync(string name, string generation, DateTimeOffset confirmedAt, CancellationToken cancellationToken = default) =>
        UnderLockAsync(name, async (target, metaPath) =>
        {
            var meta = await ReadMetadataAsync(metaPath, cancellationToken);
            if (meta is null || !File.Exists(target) || meta.Size != new FileInfo(target).Length || meta.Generation != generation)
            {
                return null;
            }
            var confirmed = meta with { ConfirmedAt = confirmedAt };
            var side = await WriteTemporaryAsync(metaPath, JsonSerializer.SerializeToUtf8Bytes(confirmed), cancellationToken);
            try
            {
                _files.Replace(side, metaPath);
            }
            finally
            {
                DeleteQuietly(side);
            }
            return (ObjectMetadata?)confirmed;
        }, cancellationToken);

    /// <summary>Runs <paramref name="body"/> (given the object's file and side file) holding the object's lock; file-system failures are described.</summary>
    private async Task<T> UnderLockAsync<T>(string name, Func<string, string, Task<T>> body, CancellationToken cancellationToken)
    {
        var target = TargetOf(name);
        var metaPath = MetaPathOf(name);
        var lockPath = metaPath + ".lock";
        EnsureInside(target, metaPath, lockPath);
        EnsureNothingInTheWay(name, (target, "the document"), (metaPath, "the document's metadata"), (lockPath, "the document's lock"));
        try
        {
            using var held = await LockAsync(lockPath, cancellationToken);
            return await body(target, metaPath);
        }
        catch (Exception ex) when (StoreErrors.Describe(ex, target, Description) is { } described)
        {
            throw described; // a read on the way (the side file) failed the same way a write would
        }
    }

    public async Task<ObjectMetadata?> GetMetadataAsync(string name, CancellationToken cancellationToken = default)
    {
        var target = TargetOf(name);
        var metaPath = MetaPathOf(name);
        EnsureInside(target, metaPath);
        if (!File.Exists(target))
        {
            return null;
        }
        var meta = await ReadMetadataAsync(metaPath, cancellationToken);
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
        // Linked folders are not entered (no loops, nothing outside); a linked file is checked like any read.
        var walk = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        var names = new FileSystemEnumerable<string>(_root, (ref FileSystemEntry entry) => entry.ToFullPath(), walk)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory,
            ShouldRecursePredicate = (ref FileSystemEntry entry) => !entry.Attributes.HasFlag(FileAttributes.ReparsePoint),
        }
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

    /// <summary>The object's path; names of the store's own files (its metadata folder, temporary files) are refused.</summary>
    private string TargetOf(string name)
    {
        var target = Resolve(_root, name);
        if (name.Split('/')[0] == MetaFolder || IsTemporary(name))
        {
            throw new InvalidObjectNameException(
                $"invalid object name '{name}': '{MetaFolder}/' and names starting with '{TemporaryPrefix}' are the folder store's own files");
        }
        return target;
    }

    private string MetaPathOf(string name) => Resolve(Path.Combine(_root, MetaFolder), name + ".json");

    private void EnsureInside(params ReadOnlySpan<string> paths)
    {
        foreach (var path in paths)
        {
            StoreLinks.EnsureInside(_root, path);
        }
    }

    /// <summary>
    /// A folder where one of the object's files belongs, or a file where one of their folders belongs, is a state of the
    /// store no retry changes: it is named before anything (even the lock file) is written.
    /// </summary>
    private void EnsureNothingInTheWay(string name, params ReadOnlySpan<(string Path, string What)> files)
    {
        foreach (var (path, what) in files)
        {
            if (Directory.Exists(path))
            {
                throw InTheWay(name, path, $"is a folder, where {what} belongs");
            }
            for (var folder = Path.GetDirectoryName(path); folder is not null && folder.Length > _root.Length; folder = Path.GetDirectoryName(folder))
            {
                if (File.Exists(folder))
                {
                    throw InTheWay(name, folder, "is a file, where the store needs a folder");
                }
            }
        }
    }

    private StorePathConflictException InTheWay(string name, string path, string problem) =>
        new($"store {Description} cannot write {name}: {path} {problem}; move or delete it, then rerun (nothing was written)");

    private async Task<string?> CurrentGenerationAsync(string target, string metaPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(target))
        {
            return null;
        }
        var meta = await ReadMetadataAsync(metaPath, cancellationToken);
        return meta is not null && meta.Size == new FileInfo(target).Length ? meta.Generation : "0";
    }

    /// <summary>Only a lock another writer holds is waited for; any other failure (read-only, denied, full) is reported at once.</summary>
    private async Task<IDisposable> LockAsync(string lockPath, CancellationToken cancellationToken)
    {
        _files.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        var deadline = DateTimeOffset.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return _files.OpenLock(lockPath);
            }
            catch (IOException ex) when (StoreErrors.Classify(ex) == StoreErrors.Kind.LockHeld)
            {
                if (DateTimeOffset.UtcNow >= deadline)
                {
                    throw new StoreLockedException($"could not lock {lockPath} within {LockTimeout.TotalSeconds:F0} s: another writer holds it", ex);
                }
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 20)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Both files are written in full before either is renamed into place, so a full disk or a failed write publishes
    /// neither and a document is never published without its side file; the renames need no space.
    /// </summary>
    private async Task PublishAsync(string target, ReadOnlyMemory<byte> content, string metaPath, byte[] meta, CancellationToken cancellationToken)
    {
        var document = await WriteTemporaryAsync(target, content, cancellationToken);
        try
        {
            var side = await WriteTemporaryAsync(metaPath, meta, cancellationToken);
            try
            {
                _files.Replace(document, target);
                _files.Replace(side, metaPath);
            }
            finally
            {
                DeleteQuietly(side);
            }
        }
        finally
        {
            DeleteQuietly(document);
        }
    }

    private async Task<string> WriteTemporaryAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        _files.CreateDirectory(directory);
        DeleteOrphans(directory, Path.GetFileName(path));
        var temporary = Path.Combine(directory, $"{TemporaryPrefix}{Guid.NewGuid():N}-{Path.GetFileName(path)}");
        try
        {
            await _files.WriteNewAsync(temporary, content, cancellationToken);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
        return temporary;
    }

    private static bool IsTemporary(string name) => Path.GetFileName(name).StartsWith(TemporaryPrefix, StringComparison.Ordinal);

    /// <summary>
    /// The caller holds the lock of the object whose file is <paramref name="fileName"/>, so no live writer has a
    /// temporary file of it: every one is an orphan of a writer that died. Those of other objects may belong to a
    /// writer at work and are deleted only once <see cref="OrphanAge"/> old.
    /// </summary>
    private void DeleteOrphans(string directory, string fileName)
    {
        var cutoff = DateTime.UtcNow - OrphanAge;
        foreach (var file in Directory.EnumerateFiles(directory, TemporaryPrefix + "*"))
        {
            if (IsTemporaryOf(Path.GetFileName(file), fileName) || File.GetLastWriteTimeUtc(file) < cutoff)
            {
                DeleteQuietly(file);
            }
        }
    }

    /// <summary>Whether <paramref name="candidate"/> is named as this store names temporary files of <paramref name="fileName"/>: <c>.tmp-{32 hex digits}-{fileName}</c>.</summary>
    private static bool IsTemporaryOf(string candidate, string fileName)
    {
        const int Hex = 32;
        var prefix = TemporaryPrefix.Length + Hex + 1;
        return candidate.Length == prefix + fileName.Length && candidate.StartsWith(TemporaryPrefix, StringComparison.Ordinal)
            && candidate[prefix - 1] == '-' && !candidate.AsSpan(TemporaryPrefix.Length, Hex).ContainsAnyExcept("0123456789abcdef")
            && candidate.EndsWith(fileName, StringComparison.Ordinal);
    }

    private void DeleteQuietly(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                _files.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another process cleaned it up first, or the store refuses writes (reported by the write itself).
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
