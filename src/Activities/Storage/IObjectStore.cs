namespace ExportFlows.Activities.Storage;

/// <summary>
/// What the store knows of an object; <paramref name="GeneratedAt"/> is the document's own clock, kept as custom
/// metadata, as are <paramref name="Inputs"/> (when and from what its inputs were read) and <paramref name="ConfirmedAt"/>
/// (when a run last found its inputs unchanged and left it in place).
/// </summary>
public sealed record ObjectMetadata(
    string Name,
    long Size,
    string ContentType,
    string? CacheControl,
    DateTimeOffset Updated,
    string Generation,
    string? Md5Hash,
    DateTimeOffset? GeneratedAt = null,
    bool? Empty = null,
    DocumentInputs? Inputs = null,
    DateTimeOffset? ConfirmedAt = null);

/// <summary>
/// When a document's build started reading its input tables (the machine clock of the run) and <paramref name="Key"/>,
/// everything else it was computed from (warehouse, catalog facts, store path, dates, model, build; compact, digests for
/// anything long or internal): the document is current while no input table changed after <paramref name="ReadAt"/>
/// and a run would use the same key.
/// </summary>
public sealed record DocumentInputs(DateTimeOffset ReadAt, string Key);

/// <summary>
/// Conditions and custom metadata of one write. <paramref name="IfGenerationMatch"/>: null writes unconditionally,
/// <c>"0"</c> requires that the object does not exist, any other value that it has exactly that generation.
/// <paramref name="GeneratedAt"/>, <paramref name="Empty"/> and <paramref name="Inputs"/> are kept as the object's custom metadata.
/// </summary>
public sealed record ObjectWriteOptions(string? IfGenerationMatch = null, DateTimeOffset? GeneratedAt = null, bool? Empty = null, DocumentInputs? Inputs = null);

/// <summary>Write side: whole-object writes with content type and Cache-Control set in the same write.</summary>
public interface IObjectStore
{
    /// <summary>e.g. <c>dir:/srv/out</c> or <c>gs://bucket</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Writes the object atomically: readers see the old object or the new one, never a partial one. A failed
    /// <see cref="ObjectWriteOptions.IfGenerationMatch"/> throws <see cref="ObjectPreconditionFailedException"/> and writes nothing.
    /// </summary>
    Task<ObjectMetadata> WriteAsync(string name, ReadOnlyMemory<byte> content, string contentType, string cacheControl,
        ObjectWriteOptions? write = null, CancellationToken cancellationToken = default);

    /// <summary>Null when the object does not exist.</summary>
    Task<ObjectMetadata?> GetMetadataAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ObjectMetadata>> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records in the object's metadata only (content and generation stay) that the object of <paramref name="generation"/>
    /// was confirmed current at <paramref name="confirmedAt"/>. Null when the object has another generation by now (a
    /// newer write won) or the store keeps no such record.
    /// </summary>
    Task<ObjectMetadata?> ConfirmCurrentAsync(string name, string generation, DateTimeOffset confirmedAt, CancellationToken cancellationToken = default) =>
        Task.FromResult<ObjectMetadata?>(null);
}

/// <summary>An object name that is empty, absolute, or would escape the store's root.</summary>
public sealed class InvalidObjectNameException(string message) : Exception(message);

/// <summary>Another writer changed the object since its generation was read: nothing was written.</summary>
public sealed class ObjectPreconditionFailedException(string message) : Exception(message);

/// <summary>The object names every store accepts: the folder store's rules, which GCS names also satisfy.</summary>
public static class ObjectNames
{
    /// <summary>GCS's limit on an object name, in UTF-8 bytes.</summary>
    public const int MaxBytes = 1024;

    public static void Validate(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.StartsWith('/') || name.Contains('\\') || name.Any(char.IsControl))
        {
            throw new InvalidObjectNameException($"invalid object name '{Shown(name)}': must be a relative name with '/' separators and no control characters");
        }
        if (name.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new InvalidObjectNameException($"invalid object name '{Shown(name)}': empty, '.' or '..' segments are not allowed");
        }
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxBytes)
        {
            throw new InvalidObjectNameException($"invalid object name '{Shown(name)}': longer than {MaxBytes} bytes");
        }
    }

    private static string Shown(string name)
    {
        var printable = new string(name.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return printable.Length > 80 ? printable[..80] + "…" : printable;
    }
}
