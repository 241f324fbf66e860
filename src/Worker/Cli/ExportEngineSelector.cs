using ExportFlows.Activities;
using ExportFlows.Worker.Client;
using ExportFlows.Worker.Engines;
using ExportFlows.Worker.Temporal;
using ExportFlows.Workflows.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Temporalio.Client;
using Temporalio.Testing;
using Temporalio.Worker;

namespace ExportFlows.Worker.Cli;

/// <summary>
/// Chooses how <c>export</c> runs: a configured Temporal cluster; else an embedded dev server with a worker in this
/// process; else (no dev server obtainable, e.g. offline) in process. <c>--in-process</c> forces the last.
/// </summary>
public sealed class ExportEngineSelector(IServiceProvider services, TemporalSettings configured, TextWriter notices, Func<bool>? shouldCancelOnInterrupt = null)
    : IAsyncDisposable
{
    private WorkflowEnvironment? _environment;
    private TemporalWorker? _worker;
    private Task? _workerRun;
    private readonly CancellationTokenSource _stopWorker = new();
    private TemporalSettings _active = configured;

    public async Task<IExportEngine> SelectAsync(bool inProcess, CancellationToken cancellationToken)
    {
        if (inProcess)
        {
            return services.GetRequiredService<InProcessExportEngine>();
        }
        if (!string.IsNullOrWhiteSpace(_active.Address))
        {
            var client = await _active.ConnectAsync();
            return new TemporalExportEngine(client, _active, Catalog, notices, CancelOnInterrupt);
        }
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("ExportFlows.EmbeddedTemporal");
        var (environment, uiUrl, problem) = await EmbeddedTemporal.TryStartAsync(logger, TimeSpan.FromMinutes(2));
        if (environment is null)
        {
            await notices.WriteLineAsync($"note: no Temporal dev server available ({problem}); running in process");
            return services.GetRequiredService<InProcessExportEngine>();
        }
        _environment = environment;
        _active = _active with { Address = environment.Client.Connection.Options.TargetHost, TaskQueue = "exportflows-embedded", UiUrl = uiUrl };
        _worker = new TemporalWorker(environment.Client,
            ExportWorkerRegistration.Apply(new TemporalWorkerOptions(_active.TaskQueue), services.GetRequiredService<ExportActivities>()));
        _workerRun = _worker.ExecuteAsync(_stopWorker.Token);
        await notices.WriteLineAsync($"Temporal UI: {uiUrl}");
        // The embedded server ends with this process: an interrupted run is always cancelled.
        return new TemporalExportEngine(environment.Client, _active, Catalog, notices, () => true);
    }

    private Workflows.Catalog.ExportCatalog Catalog => services.GetRequiredService<Activities.Catalog.IExportCatalogSource>().Current;

    private bool CancelOnInterrupt() => shouldCancelOnInterrupt?.Invoke() ?? false;

    /// <summary>The lines printed under the report: workflow id and UI link.</summary>
    public string? Describe(ExportReport report) => report.WorkflowId is null ? null
        : $"workflow: {report.WorkflowId}" + (_active.WorkflowLink(report.WorkflowId) is { } link ? $"\nui: {link}" : "") +
          (report.Store is { } store ? $"\nworker store: {store}; worker warehouse: {report.Warehouse}" : "");

    public async ValueTask DisposeAsync()
    {
        await _stopWorker.CancelAsync();
        if (_workerRun is not null)
        {
            try
            {
                await _workerRun;
            }
            catch (OperationCanceledException)
            {
                // The worker stops by cancellation.
            }
        }
        _worker?.Dispose();
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
        _stopWorker.Dispose();
    }
}
