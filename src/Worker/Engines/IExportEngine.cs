using ExportFlows.Workflows.Contracts;

namespace ExportFlows.Worker.Engines;

/// <summary>Runs an export request and reports what was written and what failed.</summary>
public interface IExportEngine
{
    string Name { get; }

    /// <summary>Throws <see cref="Workflows.Planning.InvalidExportRequestException"/> for a request that cannot run.</summary>
    /// <param name="workflowId">Workflow id to use (Temporal engines); a backfill reuses one per date and types.</param>
    Task<ExportReport> RunAsync(ExportRequest request, DateTimeOffset now, CancellationToken cancellationToken, string? workflowId = null);
}
