using System.Text.Json;
using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Exporters;

/// <summary>
/// An exporter of one document at a fixed path, recomputed on a clock (<c>subsets/performance.json</c>,
/// <c>systems/subsets.json</c>). Every build records when it started reading its inputs and from what
/// (<see cref="DocumentInputs"/>), so a later job with <see cref="ExportJob.SkipWhenInputsUnchanged"/> can leave the
/// document in place, without a query, while none of its inputs changed (<see cref="UnchangedInputs"/>).
/// </summary>
public abstract class FixedPathExporter(UnchangedInputs unchanged, IObjectStore store, ExportSettings settings, ILogger logger)
    : SubsetExporter(store, settings, logger)
{
    /// <summary>The document, from the warehouse as it is now.</summary>
    protected abstract Task<PublicDocument> BuildDocumentAsync(ExportJob job, CancellationToken cancellationToken);

    /// <summary>
    /// The one list of what the document of <paramref name="job"/> is computed from: the key recorded with a build and
    /// compared by a later run, and the tables whose times that run checks, both come from here. The catalog's
    /// publication names and the job's row are taken whole (the public-field checks read every name), so a fact an
    /// exporter starts reading from them is in the key already.
    /// </summary>
    public DocumentSources SourcesOf(ExportJob job)
    {
        var catalog = Settings.Catalog();
        var row = catalog.Get(job.Type);
        var tables = RequiredTables;
        return new DocumentSources(
        [
            InputFact.Digest("warehouse", "the warehouse", Canonical(new { warehouse = unchanged.Warehouse, tables = tables.Select(t => t.QualifiedName) })),
            InputFact.Digest("models", "the catalog's model codenames ([publication.models])", Canonical(Sorted(catalog.Publication.ModelCodenames))),
            InputFact.Digest("subsets", "the catalog's publication names of subsets ([publication.subsets])",
                Canonical(Sorted(catalog.Publication.Subsets.ToDictionary(s => s.Key, s => new { id = s.Value.Id, name = s.Value.Name, description = s.Value.Description })))),
            InputFact.Digest("row", $"the catalog row of {row.Name} (implementation, date, objects, options)", Canonical(new
            {
                implementation = row.Implementation,
                date = row.DateKind.ToString(),
                objects = row.Objects.Select(o => new { pattern = o.Pattern, kind = o.Kind.ToString(), cache_control = o.CacheControl, except = o.Except }),
                options = Sorted(row.Options),
            })),
            InputFact.Digest("store", "the store path", Canonical(new { store = unchanged.Store, name = ObjectName(job) })),
            InputFact.Plain("as_of", "the as-of date", DateText(job.AsOfDate)),
            InputFact.Plain("target", "the target date", DateText(job.TargetDate)),
            InputFact.Digest("model", "the model (ExportFlows__ModelId)", Settings.ModelId),
            InputFact.Plain("season_start", "the configured season start", DateText(Settings.SeasonStart)),
            InputFact.Plain("build", "the ExportFlows build", UnchangedInputs.Build),
        ], tables);
    }

    public sealed override async Task<PublicDocument> BuildAsync(ExportJob job, CancellationToken cancellationToken)
    {
        // The key is taken before the build reads anything: an input that changes during the build differs from it next time.
        var readAt = unchanged.Now();
        var key = SourcesOf(job).Key;
        return await BuildDocumentAsync(job, cancellationToken) with { Inputs = new DocumentInputs(readAt, key) };
    }

    public override async Task<ExportedObject> ExportAsync(ExportJob job, int attempt, CancellationToken cancellationToken)
    {
        if (job.SkipWhenInputsUnchanged)
        {
            var name = ObjectName(job);
            var verdict = await unchanged.DecideAsync(job, name, SourcesOf(job), cancellationToken);
            if (verdict.Published is { } published)
            {
                Logger.LogInformation("Not rebuilding {Object}: {Reason}", name, verdict.Reason);
                return new ExportedObject(job.Type, name, 0, Object(job).CacheControl, published.Generation, attempt, verdict.Reason) { Cost = ExportCost.Nothing };
            }
            Logger.LogInformation("Rebuilding {Object}: {Reason}", name, verdict.Reason);
            // A first build, or --force, is no news: the report names what changed only when a skip was refused.
            var news = !job.Force && verdict.Reason != UnchangedInputs.NoPublishedDocument;
            return await base.ExportAsync(job, attempt, cancellationToken) with { RebuiltBecause = news ? verdict.Reason : null };
        }
        return await base.ExportAsync(job, attempt, cancellationToken);
    }

    private static string DateText(DateOnly? date) => date is { } d ? ExportDates.ToText(d) : "-";

    private static SortedDictionary<string, T> Sorted<T>(IReadOnlyDictionary<string, T> values) => new(values.ToDictionary(), StringComparer.Ordinal);

    private static string Canonical<T>(T value) => JsonSerializer.Serialize(value);
}
