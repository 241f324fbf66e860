using ExportFlows.Workflows.Contracts;

namespace ExportFlows.Worker.Engines;

/// <summary>Runs an export request and reports what was written and what failed.</summary>
public interface IExportEngine
{
    string Name { get; }

    /// <summary>Throws <see cref="Workflows.Planning.InvalidExportRequestException"/> for a request that cannot run.</summary>
    Task<ExportReport> RunAsync(ExportRequest request, DateTimeOffset now, CancellationToken cancellationToken);
}
