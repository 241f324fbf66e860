using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Workflows.Contracts;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Exporters;

/// <summary>
/// An exporter of one document per date (<c>picks/{date}.json</c>, <c>signals/{date}.json</c>). A single-date export
/// and a span export build each document with the same <see cref="Build"/> from the same inputs, so a backfill writes
/// byte-for-byte the documents single-date exports would.
/// </summary>
public abstract class DateKeyedExporter(SubsetWarehouseReader reader, IObjectStore store, ExportSettings settings, ILogger logger)
    : SubsetExporter(store, settings, logger)
{
    /// <summary>What the document of a date is built from.</summary>
    public abstract SpanNeeds Needs { get; }

    /// <summary>The document of <paramref name="date"/>, from inputs read for a span that contains it.</summary>
    public abstract PublicDocument Build(DateOnly date, DateTimeOffset generatedAt, SpanInputs inputs);

    public sealed override async Task<PublicDocument> BuildAsync(ExportJob job, CancellationToken cancellationToken)
    {
        var date = Required(job.TargetDate, "a target date", job.Type);
        return Build(date, job.GeneratedAt, await reader.ReadSpanAsync(Needs, date, date, cancellationToken));
    }

    protected sealed override Task<string?> OutsideDataAsync(ExportJob job, CancellationToken cancellationToken) =>
        job.TargetDate is { } date ? reader.OutsideDataAsync(date, "date", "--date", cancellationToken) : Task.FromResult<string?>(null);
}
