namespace ExportFlows.Activities.Storage;

/// <summary>The file-system operations the folder store writes with; a seam so tests can fail one of them.</summary>
public interface IStoreFileSystem
{
    void CreateDirectory(string path);

    /// <summary>An exclusive lock on <paramref name="path"/> (created if missing); throws while another writer holds it.</summary>
    IDisposable OpenLock(string path);

    /// <summary>Creates <paramref name="path"/>, which must not exist, with <paramref name="content"/>, flushed to disk.</summary>
    Task WriteNewAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Renames <paramref name="source"/> over <paramref name="destination"/> in one step.</summary>
    void Replace(string source, string destination);

    void Delete(string path);
}

public sealed class PhysicalStoreFileSystem : IStoreFileSystem
{
    public static PhysicalStoreFileSystem Instance { get; } = new();

    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    // FileShare.None is an exclusive lock on the file for every process that opens it through .NET.
    public IDisposable OpenLock(string path) => new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);

    public async Task WriteNewAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        // CreateNew fails on anything already there, a symbolic link included, so a temporary file is never a link's target.
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
        await stream.WriteAsync(content, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        stream.Flush(flushToDisk: true);
    }

    public void Replace(string source, string destination) => File.Move(source, destination, overwrite: true);

    public void Delete(string path) => File.Delete(path);
}

/// <summary>Turns the failures of <paramref name="inner"/> into store errors that name the path and what to do (<see cref="StoreErrors"/>).</summary>
internal sealed class DescribedStoreFileSystem(IStoreFileSystem inner, string store) : IStoreFileSystem
{
    public void CreateDirectory(string path) => Run(path, () => inner.CreateDirectory(path));

    public IDisposable OpenLock(string path)
    {
        try
        {
            return inner.OpenLock(path);
        }
        catch (Exception ex) when (StoreErrors.Describe(ex, path, store) is { } described)
        {
            throw described;
        }
    }

    public async Task WriteNewAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        try
        {
            await inner.WriteNewAsync(path, content, cancellationToken);
        }
        catch (Exception ex) when (StoreErrors.Describe(ex, path, store) is { } described)
        {
            throw described;
        }
    }

    public void Replace(string source, string destination) => Run(destination, () => inner.Replace(source, destination));

    public void Delete(string path) => Run(path, () => inner.Delete(path));

    private void Run(string path, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (StoreErrors.Describe(ex, path, store) is { } described)
        {
            throw described;
        }
    }
}
