namespace ExportFlows.Activities.Storage;

/// <summary>What the store knows of an object.</summary>
public sealed record ObjectMetadata(
    string Name,
    long Size,
    string ContentType,
    string? CacheControl,
    DateTimeOffset Updated,
    string Generation,
    string? Md5Hash);

/// <summary>Write side: whole-object writes with content type and Cache-Control set in the same write.</summary>
public interface IObjectStore
{
    /// <summary>e.g. <c>dir:/srv/out</c> or <c>gs://bucket</c>.</summary>
    string Description { get; }

    /// <summary>Writes the object atomically: readers see the old object or the new one, never a partial one.</summary>
    Task<ObjectMetadata> WriteAsync(string name, ReadOnlyMemory<byte> content, string contentType, string cacheControl, CancellationToken cancellationToken = default);

    /// <summary>Null when the object does not exist.</summary>
    Task<ObjectMetadata?> GetMetadataAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ObjectMetadata>> ListAsync(string prefix, CancellationToken cancellationToken = default);
}

/// <summary>An object name that is empty, absolute, or would escape the store's root.</summary>
public sealed class InvalidObjectNameException(string message) : Exception(message);
