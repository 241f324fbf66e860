using ExportFlows.Activities.Storage;

namespace ExportFlows.Tests.Storage;

/// <summary>The real file system, except that <paramref name="fault"/> may fail an operation (by name) on a path, as .NET would.</summary>
internal sealed class FaultyFileSystem(Func<string, string, Exception?> fault) : IStoreFileSystem
{
    private readonly PhysicalStoreFileSystem _real = PhysicalStoreFileSystem.Instance;

    /// <summary>What .NET throws on Unix for an errno: an IOException whose HResult is the errno, "Message : 'path'".</summary>
    public static IOException Errno(int errno, string message, string path) => new($"{message} : '{path}'", errno);

    /// <summary>EACCES and EPERM: .NET's UnauthorizedAccessException around the errno's IOException.</summary>
    public static UnauthorizedAccessException Denied(string path) => new($"Access to the path '{path}' is denied.", Errno(13, "Permission denied", path));

    public void CreateDirectory(string path)
    {
        Fail(nameof(CreateDirectory), path);
        _real.CreateDirectory(path);
    }

    public IDisposable OpenLock(string path)
    {
        Fail(nameof(OpenLock), path);
        return _real.OpenLock(path);
    }

    public Task WriteNewAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        Fail(nameof(WriteNewAsync), path);
        return _real.WriteNewAsync(path, content, cancellationToken);
    }

    public void Replace(string source, string destination)
    {
        Fail(nameof(Replace), destination);
        _real.Replace(source, destination);
    }

    public void Delete(string path)
    {
        Fail(nameof(Delete), path);
        _real.Delete(path);
    }

    private void Fail(string operation, string path)
    {
        if (fault(operation, path) is { } failure)
        {
            throw failure;
        }
    }
}
