using System.Diagnostics;
using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Exporters;

/// <summary>
/// A document ready to publish, and the internal identifiers it must not contain. <paramref name="EmptyBecause"/> names
/// the empty input table or catalog when the document carries no data because of it.
/// </summary>
public sealed record PublicDocument(byte[] Utf8, IReadOnlyCollection<string> InternalIds, string? EmptyBecause = null)
{
    /// <summary>When and from what the document's inputs were read, kept with it in the store (fixed-path documents).</summary>
    public DocumentInputs? Inputs { get; init; }
}

/// <summary>
/// Builds one public document from the warehouse and writes it in a single atomic write with its Cache-Control.
/// Dates and <c>generated_at</c> come from the job, never from the machine clock. The write is conditional on the
/// generation read just before it (<see cref="PublicationRules"/> decides from that read), so a run never replaces a
/// newer document, even when another run writes in between.
/// </summary>
public abstract class SubsetExporter(IObjectStore store, ExportSettings settings, ILogger logger)
{
    public const string ContentType = "application/json";

    /// <summary>The name a native catalog row gives as its <c>implementation</c>.</summary>
    public abstract string Implementation { get; }

    protected abstract IReadOnlySet<string> AllowedKeys { get; }

    /// <summary>The keys that hold strings, each with the shape its values must have (checked again before the write).</summary>
    protected abstract IReadOnlyDictionary<string, PublicFieldShape> StringFields(PublicationNames names);

    /// <summary>The warehouse tables the document is built from (checked before a run writes anything).</summary>
    public abstract IReadOnlyList<WarehouseTable> RequiredTables { get; }

    protected ExportSettings Settings => settings;

    /// <summary>The catalog object the job's row publishes (a native row declares one).</summary>
    public ExportObjectSpec Object(ExportJob job) => settings.Catalog().Get(job.Type).Objects[0];

    protected ILogger Logger => logger;

    public string ObjectName(ExportJob job) => NameOf(Object(job), job);

    private static string NameOf(ExportObjectSpec spec, ExportJob job) => spec.Name(job.TargetDate ?? job.AsOfDate ?? default);

    /// <summary>The object name of the document of <paramref name="date"/> in the row named after this implementation (messages of span builds).</summary>
    protected string ObjectName(DateOnly date)
    {
        var catalog = settings.Catalog();
        var row = catalog.Find(Implementation) ?? catalog.Types.FirstOrDefault(t => t.Implementation == Implementation);
        return row is null ? $"{Implementation} {ExportDates.ToText(date)}" : row.Objects[0].Name(date);
    }

    /// <summary><c>generated_at</c>, <c>model</c>, and the group's <c>id</c> and <c>name</c>: the string fields of every document.</summary>
    protected static Dictionary<string, PublicFieldShape> CommonStringFields(PublicationNames names) => new(StringComparer.Ordinal)
    {
        ["generated_at"] = PublicFieldShapes.Timestamp,
        ["model"] = PublicFieldShapes.ModelCodename(names),
        ["id"] = PublicFieldShapes.SubsetId(names),
        ["name"] = PublicFieldShapes.SubsetName(names),
    };

    public abstract Task<PublicDocument> BuildAsync(ExportJob job, CancellationToken cancellationToken);

    /// <summary>Why the job's document is empty when its date lies outside the warehouse's data; null when it lies inside.</summary>
    protected virtual Task<string?> OutsideDataAsync(ExportJob job, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>How often a write that lost a race to another writer is decided again before giving up (retryable).</summary>
    private const int WriteRounds = 5;

    /// <summary>Builds and publishes the document; the result carries what the build spent in the warehouse (also counted per type in the metrics).</summary>
    public virtual async Task<ExportedObject> ExportAsync(ExportJob job, int attempt, CancellationToken cancellationToken)
    {
        logger.LogInformation("Exporting {ExportType} to {Object} on {Store} (attempt {Attempt})", job.Type, ObjectName(job), store.Description, attempt);
        using var meter = ExportCostMeter.Start();
        try
        {
            var document = await BuildAsync(job, cancellationToken);
            return await PublishAsync(job, document, attempt, cancellationToken) with { Cost = meter.Total };
        }
        finally
        {
            Telemetry.ExportMetrics.Spent(job.Type, meter.Total);
        }
    }

    /// <summary>
    /// Checks <paramref name="document"/> against the public-document rules and writes it, unless the store holds a
    /// newer document or it would blank a real one (see <see cref="PublicationRules"/>).
    /// </summary>
    public async Task<ExportedObject> PublishAsync(ExportJob job, PublicDocument document, int attempt, CancellationToken cancellationToken)
    {
        // One read of the catalog: the name and the Cache-Control of this write come from the same row.
        var target = Object(job);
        var name = NameOf(target, job);
        var cacheControl = target.CacheControl;
        var watch = Stopwatch.StartNew();
        PublicDocumentGuard.Check(name, document.Utf8, AllowedKeys, StringFields(settings.Publication), document.InternalIds.Append(settings.ModelId));
        var md5 = Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(document.Utf8));
        for (var round = 1; ; round++)
        {
            var existing = await store.GetMetadataAsync(name, cancellationToken);
            var decision = PublicationRules.Decide(existing, job.GeneratedAt, md5, document.EmptyBecause, job.Force, job.AllowEmpty);
            switch (decision.Action)
            {
                case PublicationAction.SkipNewer:
                    logger.LogWarning("Not writing {Object}: {Reason}", name, decision.Reason);
                    return new ExportedObject(job.Type, name, 0, cacheControl, existing!.Generation, attempt, decision.Reason);
                case PublicationAction.RefuseEmpty:
                    // A date outside the warehouse's data is a wrong date, not an empty input: never advise --allow-empty for it.
                    throw new EmptyInputException($"{name}: {await OutsideDataAsync(job, cancellationToken) ?? decision.Reason}");
                case PublicationAction.AlreadyWritten:
                    return new ExportedObject(job.Type, name, existing!.Size, cacheControl, existing.Generation, attempt);
            }
            try
            {
                var written = await store.WriteAsync(name, document.Utf8, ContentType, cacheControl,
                    new ObjectWriteOptions(existing?.Generation ?? "0", job.GeneratedAt, document.EmptyBecause is not null, document.Inputs), cancellationToken);
                Telemetry.ExportMetrics.Uploaded(job.Type);
                logger.LogInformation("Wrote {Object}: {Bytes} bytes, {CacheControl}, generation {Generation}, in {ElapsedMs} ms",
                    name, written.Size, cacheControl, written.Generation, watch.ElapsedMilliseconds);
                return new ExportedObject(job.Type, name, written.Size, cacheControl, written.Generation, attempt);
            }
            catch (ObjectPreconditionFailedException ex) when (round < WriteRounds)
            {
                logger.LogInformation("{Object} changed while it was written ({Error}); deciding again", name, ex.Message);
            }
        }
    }

    protected static DateOnly Required(DateOnly? date, string what, string type) =>
        date ?? throw new Workflows.Planning.InvalidExportRequestException($"{type} needs {what}");

    /// <summary><c>"stats": {"hit_rate", "roi", countName}</c>: picks count "days", performance counts "picks".</summary>
    protected static void WriteStats(PublicDocumentWriter w, GroupStats stats, string countName, int count)
    {
        w.Json.WriteStartObject("stats");
        w.WriteRounded("hit_rate", stats.HitRate);
        w.WriteRounded("roi", stats.Roi);
        w.Json.WriteNumber(countName, count);
        w.Json.WriteEndObject();
    }

    protected void WriteGroupHeader(PublicDocumentWriter w, SubsetDefinition subset)
    {
        var row = $"subset '{subset.SubsetId}'";
        w.WriteString("id", subset.Public.IdText, PublicFieldShapes.SubsetId(Settings.Publication), row);
        w.WriteString("name", subset.Public.Name, PublicFieldShapes.SubsetName(Settings.Publication), row);
    }

    protected void WriteModel(PublicDocumentWriter w) => w.WriteString("model", Settings.ModelCodename, PublicFieldShapes.ModelCodename(Settings.Publication), "the document");
}
