using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Workflows.Contracts;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Exporters;

/// <summary>
/// An exporter of one document at a fixed path, recomputed on a clock (<c>subsets/performance.json</c>,
/// <c>systems/subsets.json</c>). Every build records when it started reading its inputs and from what
/// (<see cref="DocumentInputs"/>), so a later job with <see cref="ExportJob.SkipWhenInputsUnchanged"/> can leave the
/// document in place, without a query, while none of its input tables changed (<see cref="UnchangedInputs"/>).
/// </summary>
public abstract class FixedPathExporter(UnchangedInputs unchanged, IObjectStore store, ExportSettings settings, ILogger logger)
    : SubsetExporter(store, settings, logger)
{
    /// <summary>The document, from the warehouse as it is now.</summary>
    protected abstract Task<PublicDocument> BuildDocumentAsync(ExportJob job, CancellationToken cancellationToken);

    public sealed override async Task<PublicDocument> BuildAsync(ExportJob job, CancellationToken cancellationToken)
    {
        var readAt = unchanged.Now();
        return await BuildDocumentAsync(job, cancellationToken) with { Inputs = new DocumentInputs(readAt, UnchangedInputs.KeyOf(job, Settings)) };
    }

    public override async Task<ExportedObject> ExportAsync(ExportJob job, int attempt, CancellationToken cancellationToken)
    {
        if (job.SkipWhenInputsUnchanged)
        {
            var name = ObjectName(job);
            var verdict = await unchanged.DecideAsync(job, name, Settings, RequiredTables, cancellationToken);
            if (verdict.Published is { } published)
            {
                Logger.LogInformation("Not rebuilding {Object}: {Reason}", name, verdict.Reason);
                return new ExportedObject(job.Type, name, 0, Object(job).CacheControl, published.Generation, attempt, verdict.Reason) { Cost = ExportCost.Nothing };
            }
            Logger.LogInformation("Rebuilding {Object}: {Reason}", name, verdict.Reason);
        }
        return await base.ExportAsync(job, attempt, cancellationToken);
    }
}
