using System.Globalization;
using System.Net;
using ExportFlows.Activities.Google;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StorageObject = Google.Apis.Storage.v1.Data.Object;

namespace ExportFlows.Activities.Storage;

public sealed record GcsOptions
{
    public required string Bucket { get; init; }

    /// <summary>API root; <c>STORAGE_EMULATOR_HOST</c> or the in-test server override it.</summary>
    public Uri BaseUri { get; init; } = new("https://storage.googleapis.com/");
}

/// <summary>
/// Google Cloud Storage through <see cref="StorageClient"/> (Google.Cloud.Storage.V1). One upload carries the bytes
/// with contentType, cacheControl and the custom metadata, so an object is never visible with the bucket's default
/// caching (the original patched it afterwards); <c>ifGenerationMatch</c> makes the write conditional, and the client's
/// own retry settings retry it (a conditional upload is idempotent).
/// </summary>
public sealed class GcsObjectStore(GcsOptions options, StorageClient client, RetryPolicy? retry = null, ILogger? logger = null) : IObjectStore
{
    private readonly Polly.ResiliencePipeline _uploadRetry = GoogleApiResilience.Errors(retry ?? new RetryPolicy(), logger ?? NullLogger.Instance, ex => ex.Retryable);

    public string Description => $"gs://{options.Bucket}";

    public const string GeneratedAtKey = "generated_at";

    public const string EmptyKey = "empty";

    public const string InputsReadAtKey = "inputs_read_at";

    public const string InputsKeyKey = "inputs_key";

    public const string ConfirmedAtKey = "confirmed_at";

    /// <summary>A client for <paramref name="options"/>: anonymous for emulators, else the token source's credentials.</summary>
    public static StorageClient CreateClient(GcsOptions options, IAccessTokenSource tokens, bool anonymous) => new StorageClientBuilder
    {
        BaseUri = new Uri(options.BaseUri, "storage/v1/").ToString(),
        UnauthenticatedAccess = anonymous,
        Credential = anonymous ? null : new TokenSourceCredential(tokens),
    }.Build();

    public async Task<ObjectMetadata> WriteAsync(string name, ReadOnlyMemory<byte> content, string contentType, string cacheControl,
        ObjectWriteOptions? write = null, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(name);
        var custom = new Dictionary<string, string>();
        if (write?.GeneratedAt is { } generatedAt)
        {
            custom[GeneratedAtKey] = Timestamp(generatedAt);
        }
        if (write?.Empty is { } empty)
        {
            custom[EmptyKey] = empty ? "true" : "false";
        }
        if (write?.Inputs is { } inputs)
        {
            custom[InputsReadAtKey] = Timestamp(inputs.ReadAt);
            custom[InputsKeyKey] = inputs.Key;
        }
        var destination = new StorageObject
        {
            Bucket = options.Bucket,
            Name = name,
            ContentType = contentType,
            CacheControl = cacheControl,
            Metadata = custom.Count > 0 ? custom : null,
        };
        var upload = new UploadObjectOptions();
        if (write?.IfGenerationMatch is { } generation)
        {
            upload.IfGenerationMatch = long.Parse(generation, CultureInfo.InvariantCulture);
        }
        // The client library does not retry uploads; a conditional one is idempotent, so a retryable failure is retried
        // here (an upload that had in fact succeeded then answers 412, which the exporter recognises as already written).
        return upload.IfGenerationMatch is null
            ? await UploadAsync(destination, content, upload, cancellationToken)
            : await _uploadRetry.ExecuteAsync(async ct => await UploadAsync(destination, content, upload, ct), cancellationToken);
    }

    private async Task<ObjectMetadata> UploadAsync(StorageObject destination, ReadOnlyMemory<byte> content, UploadObjectOptions upload, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        try
        {
            return Parse(await client.UploadObjectAsync(destination, stream, upload, cancellationToken));
        }
        catch (global::Google.GoogleApiException ex) when (ex.HttpStatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new ObjectPreconditionFailedException($"{destination.Name}: generation is no longer {upload.IfGenerationMatch}; another run wrote it meanwhile");
        }
        catch (global::Google.GoogleApiException ex)
        {
            throw Failure(ex, $"upload of {destination.Name}");
        }
        catch (Exception ex) when (IsConnectionFailure(ex, cancellationToken))
        {
            throw ConnectionFailed(ex, $"upload of {destination.Name} to {Description}", "nothing was published (the object is as it was): ");
        }
    }

    /// <summary>The request never got an answer: the connection broke (reset, refused) or the client's own timeout passed.</summary>
    private static bool IsConnectionFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested;

    /// <summary>A connection failure as a retryable API error that names what failed, where, and what to do.</summary>
    private GoogleApiException ConnectionFailed(Exception ex, string what, string outcome = "") =>
        new("Cloud Storage", 0, "connectionFailed",
            $"{what} failed: the connection to {options.BaseUri.Authority} broke ({Causes(ex)}); {outcome}" +
            "check the network path to Cloud Storage (a proxy or firewall that resets connections?), then rerun the export", retryable: true);

    /// <summary>The exception's message and its causes', e.g. "An error occurred while sending the request: Connection reset by peer".</summary>
    private static string Causes(Exception ex)
    {
        var messages = new List<string>();
        for (var e = (Exception?)ex; e is not null && messages.Count < 3; e = e.InnerException)
        {
            var message = e.Message.TrimEnd('.');
            // .NET repeats an inner cause in the outer message ("Unable to read data …: Connection reset by peer").
            if (!messages.Any(m => m.Contains(message, StringComparison.Ordinal)))
            {
                messages.Add(message);
            }
        }
        return string.Join(": ", messages);
    }

    /// <summary><c>objects.patch</c> of the custom metadata key <c>confirmed_at</c> alone, with <c>ifGenerationMatch</c>: the generation stays.</summary>
    public async Task<ObjectMetadata?> ConfirmCurrentAsync(string name, string generation, DateTimeOffset confirmedAt, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(name);
        var patch = new StorageObject { Bucket = options.Bucket, Name = name, Metadata = new Dictionary<string, string> { [ConfirmedAtKey] = Timestamp(confirmedAt) } };
        try
        {
            return Parse(await client.PatchObjectAsync(patch,
                new PatchObjectOptions { IfGenerationMatch = long.Parse(generation, CultureInfo.InvariantCulture) }, cancellationToken));
        }
        catch (global::Google.GoogleApiException ex) when (ex.HttpStatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (global::Google.GoogleApiException ex)
        {
            throw Failure(ex, $"metadata update of {name}");
        }
    }

    private static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public async Task<ObjectMetadata?> GetMetadataAsync(string name, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(name);
        try
        {
            return Parse(await client.GetObjectAsync(options.Bucket, name, cancellationToken: cancellationToken));
        }
        catch (global::Google.GoogleApiException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (global::Google.GoogleApiException ex)
        {
            throw Failure(ex, $"metadata of {name}");
        }
        catch (Exception ex) when (IsConnectionFailure(ex, cancellationToken))
        {
            throw ConnectionFailed(ex, $"reading the metadata of {name} in {Description}");
        }
    }

    public async Task<IReadOnlyList<ObjectMetadata>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var result = new List<ObjectMetadata>();
        try
        {
            await foreach (var item in client.ListObjectsAsync(options.Bucket, prefix).WithCancellation(cancellationToken))
            {
                result.Add(Parse(item));
            }
        }
        catch (global::Google.GoogleApiException ex)
        {
            throw Failure(ex, $"listing of {prefix}");
        }
        catch (Exception ex) when (IsConnectionFailure(ex, cancellationToken))
        {
            throw ConnectionFailed(ex, $"listing {prefix} in {Description}");
        }
        return result;
    }

    /// <summary>The library's error as ours, so it is classified like every Google API error (retryable or rejected).</summary>
    private static GoogleApiException Failure(global::Google.GoogleApiException ex, string what)
    {
        var status = (int)ex.HttpStatusCode;
        var reason = ex.Error?.Errors?.FirstOrDefault()?.Reason;
        return new GoogleApiException("Cloud Storage", status, reason, $"{what}: {ex.Error?.Message ?? ex.Message}", RetryPolicy.IsRetryable(status, reason));
    }

    private static ObjectMetadata Parse(StorageObject o)
    {
        string? Custom(string key) => o.Metadata is { } m && m.TryGetValue(key, out var v) ? v : null;
        DateTimeOffset? Time(string key) =>
            DateTimeOffset.TryParse(Custom(key), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        return new(
            o.Name,
            (long)(o.Size ?? 0),
            o.ContentType ?? "",
            o.CacheControl,
            o.UpdatedDateTimeOffset ?? DateTimeOffset.MinValue,
            o.Generation?.ToString(CultureInfo.InvariantCulture) ?? "",
            o.Md5Hash,
            Time(GeneratedAtKey),
            bool.TryParse(Custom(EmptyKey), out var empty) ? empty : null,
            Time(InputsReadAtKey) is { } readAt && Custom(InputsKeyKey) is { } key ? new DocumentInputs(readAt, key) : null,
            Time(ConfirmedAtKey));
    }
}
