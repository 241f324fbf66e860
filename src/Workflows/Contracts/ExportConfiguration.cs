using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Contracts;

/// <summary>
/// Worker configuration the workflows read through a local activity, so it is recorded and one run uses one
/// configuration throughout. <paramref name="EnabledTypes"/> null (recorded before it existed) runs every requested
/// type; <paramref name="ExternalTaskQueue"/> null is the default queue; <paramref name="ExternalScheduleToStart"/> null
/// takes each row's value. <paramref name="Store"/> and <paramref name="Warehouse"/> say where the worker writes and
/// reads (credential-free, e.g. <c>gcs:BUCKET</c>). <paramref name="Catalog"/> is the worker's current valid catalog;
/// null in executions recorded before the catalog existed, which replay with the shipped one.
/// </summary>
public sealed record ExportConfiguration(
    IReadOnlyList<string> DisabledTypes,
    IReadOnlyList<string>? EnabledTypes = null,
    string? ExternalTaskQueue = null,
    TimeSpan? ExternalScheduleToStart = null,
    string? Store = null,
    string? Warehouse = null,
    ExportCatalog? Catalog = null)
{
    public const string DefaultExternalTaskQueue = "exportflows-python";

    /// <summary>The catalog of this run: the recorded one, or the shipped one for executions recorded before catalogs.</summary>
    public ExportCatalog EffectiveCatalog => Catalog ?? ExportCatalog.Recorded;

    public string EffectiveExternalTaskQueue => string.IsNullOrWhiteSpace(ExternalTaskQueue) ? DefaultExternalTaskQueue : ExternalTaskQueue;

    /// <summary>Reads the worker's configuration from inside a workflow (a local activity, so it is recorded for replay).</summary>
    public static Task<ExportConfiguration> ReadAsync() => Workflow.ExecuteLocalActivityAsync<ExportConfiguration>(
        ExportActivityNames.GetExportConfiguration, [], new LocalActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
}
