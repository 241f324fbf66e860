using System.Diagnostics;
using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Contracts;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Exporters;

/// <summary>A document ready to publish, and the internal identifiers it must not contain.</summary>
public sealed record PublicDocument(byte[] Utf8, IReadOnlyCollection<string> InternalIds);

/// <summary>
/// Builds one public document from the warehouse and writes it in a single atomic write with its Cache-Control.
/// Dates and <c>generated_at</c> come from the job, never from the machine clock.
/// </summary>
public abstract class SubsetExporter(IObjectStore store, ExportSettings settings, ILogger logger)
{
    public const string ContentType = "application/json";

    public abstract string ExportType { get; }

    public abstract string CacheControl { get; }

    protected abstract IReadOnlySet<string> AllowedKeys { get; }

    /// <summary>The warehouse tables the document is built from (checked before a run writes anything).</summary>
    public abstract IReadOnlyList<WarehouseTable> RequiredTables { get; }

    protected ExportSettings Settings => settings;

    public string ObjectName(ExportJob job) => settings.ObjectPrefix + RelativeObjectName(job);

    protected abstract string RelativeObjectName(ExportJob job);

    public abstract Task<PublicDocument> BuildAsync(ExportJob job, CancellationToken cancellationToken);

    public async Task<ExportedObject> ExportAsync(ExportJob job, int attempt, CancellationToken cancellationToken)
    {
        var name = ObjectName(job);
        var watch = Stopwatch.StartNew();
        logger.LogInformation("Exporting {ExportType} to {Object} on {Store} (attempt {Attempt})", ExportType, name, store.Description, attempt);
        var document = await BuildAsync(job, cancellationToken);
        PublicDocumentGuard.Check(name, document.Utf8, AllowedKeys, document.InternalIds.Append(settings.ModelId));
        var written = await store.WriteAsync(name, document.Utf8, ContentType, CacheControl, cancellationToken);
        logger.LogInformation("Wrote {Object}: {Bytes} bytes, {CacheControl}, generation {Generation}, in {ElapsedMs} ms",
            name, written.Size, CacheControl, written.Generation, watch.ElapsedMilliseconds);
        return new ExportedObject(ExportType, name, written.Size, CacheControl, written.Generation, attempt);
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

    protected static void WriteGroupHeader(PublicDocumentWriter w, SubsetDefinition subset)
    {
        w.Json.WriteString("id", subset.Public.IdText);
        w.Json.WriteString("name", subset.Public.Name);
    }
}
