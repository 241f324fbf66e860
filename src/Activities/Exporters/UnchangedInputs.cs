using System.Globalization;
using ExportFlows.Activities.Google;
using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Contracts;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Exporters;

/// <summary>Leave the published document (<paramref name="Published"/> set, with the reason) or rebuild it (the reason why).</summary>
public sealed record UnchangedVerdict(string Reason, ObjectMetadata? Published = null)
{
    public bool Skip => Published is not null;
}

/// <summary>
/// The rule that spends queries only when the data changed: a fixed-path document is left in place when it was computed
/// with the same key (every fact besides the tables' data that decides its bytes, <see cref="DocumentSources"/>) and
/// no input table changed after its build started reading them, by the tables' own metadata (BigQuery
/// <c>tables.get</c> <c>lastModifiedTime</c>, file times on DuckDB), which runs no query. Anything unknown rebuilds: no recorded inputs, a table whose time cannot be read, a failing
/// metadata call. <c>--force</c> always rebuilds.
/// </summary>
public sealed class UnchangedInputs(IWarehouse warehouse, IObjectStore store, TimeProvider clock, ILogger<UnchangedInputs> logger)
{
    /// <summary>
    /// A table change this close before the build started reading still rebuilds: the warehouse's clock and this
    /// machine's may differ by this much.
    /// </summary>
    /// <summary>The reason of a first build: nothing was skippable, so the report says nothing about it.</summary>
    public const string NoPublishedDocument = "no published document";

    public static readonly TimeSpan ClockAllowance = TimeSpan.FromMinutes(2);

    /// <summary>This build of the exporters: a new build recomputes every document once (its code may compute it differently).</summary>
    public static readonly string Build = typeof(UnchangedInputs).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];

    /// <summary>The machine clock (a simulation replaces it): when a build starts reading, when a skip confirms.</summary>
    public DateTimeOffset Now() => clock.GetUtcNow();

    /// <summary>Where the tables are read from (<see cref="IWarehouse.Identity"/>).</summary>
    public string Warehouse => warehouse.Identity;

    /// <summary>Where documents are written (<see cref="IObjectStore.Description"/>).</summary>
    public string Store => store.Description;

    public async Task<UnchangedVerdict> DecideAsync(ExportJob job, string objectName, DocumentSources sources, CancellationToken cancellationToken)
    {
        if (job.Force)
        {
            return new("--force rebuilds");
        }
        var published = await store.GetMetadataAsync(objectName, cancellationToken);
        if (published is null)
        {
            return new(NoPublishedDocument);
        }
        if (published.Inputs is not { } inputs)
        {
            return new("the published document does not record when its inputs were read");
        }
        if (InputKey.Difference(inputs.Key, sources.Facts) is { } changed)
        {
            return new(changed);
        }
        var since = inputs.ReadAt - ClockAllowance;
        var newest = (Table: "", At: DateTimeOffset.MinValue);
        foreach (var table in sources.Tables)
        {
            DateTimeOffset? modified;
            try
            {
                modified = await warehouse.GetLastModifiedAsync(table, cancellationToken);
            }
            catch (Exception ex) when (ex is WarehouseException or GoogleApiException or IOException or UnauthorizedAccessException)
            {
                return new($"the modification time of {table.QualifiedName} could not be read ({ex.Message})");
            }
            if (modified is not { } at)
            {
                return new($"the modification time of {table.QualifiedName} is unknown");
            }
            if (at >= since)
            {
                return new($"{table.QualifiedName} changed at {Text(at)}, after the published document read it ({Text(inputs.ReadAt)})");
            }
            newest = at > newest.At ? (table.QualifiedName, at) : newest;
        }
        var confirmedAt = Now();
        var confirmed = await store.ConfirmCurrentAsync(objectName, published.Generation, confirmedAt, cancellationToken);
        if (confirmed is null)
        {
            logger.LogInformation("{Object} was not marked confirmed at {ConfirmedAt}: it changed meanwhile, or {Store} keeps no confirmation", objectName, confirmedAt, store.Description);
        }
        var last = newest.Table.Length == 0 ? "" : $"; newest input change: {newest.Table} at {Text(newest.At)}";
        return new($"inputs unchanged since {Text(inputs.ReadAt)}, when the published document was computed{last}; confirmed current at {Text(confirmedAt)}",
            confirmed ?? published);
    }

    private static string Text(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
