using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Activities;

/// <summary>
/// Where ExportFlows reads and writes, bound from the <c>ExportFlows</c> configuration section
/// (appsettings.json, <c>EXPORTFLOWS__*</c> environment variables, command-line options).
/// </summary>
public sealed record ExportFlowsOptions
{
    public const string Section = "ExportFlows";

    /// <summary><c>duckdb:DIR</c> or <c>bigquery:PROJECT</c>; empty = the embedded sample warehouse.</summary>
    public string? Warehouse { get; init; }

    /// <summary><c>dir:PATH</c> or <c>gcs:BUCKET</c>.</summary>
    public string Store { get; init; } = "dir:out";

    public string ModelId { get; init; } = "catboost_v9";

    /// <summary>The export catalog file (docs/catalog.md); empty = the catalog shipped in the build.</summary>
    public string? Catalog { get; init; }

    public string? SeasonStart { get; init; }

    /// <summary>Service-account JSON file; empty = Application Default Credentials.</summary>
    public string? CredentialsFile { get; init; }

    /// <summary>Project holding the datasets when it differs from the query project.</summary>
    public string? BigQueryDataProject { get; init; }

    public string? BigQueryLocation { get; init; }

    /// <summary>Bounds on one BigQuery answer (a query reading more fails, not retried); null = the defaults of BigQueryOptions.</summary>
    public long? BigQueryMaxRows { get; init; }

    public int? BigQueryMaxPages { get; init; }

    /// <summary>Bounds on waiting for one BigQuery job to complete (time, polls); null = the defaults of BigQueryOptions.</summary>
    public TimeSpan? BigQueryJobWait { get; init; }

    public int? BigQueryMaxPolls { get; init; }

    /// <summary>
    /// BigQuery's <c>maximumBytesBilled</c> of every query job, in bytes (default 10 GiB): BigQuery refuses a job that
    /// would bill more, before it runs, and the export fails with <c>QueryOverBudget</c> (not retried).
    /// </summary>
    public long MaxBytesBilledPerQuery { get; init; } = DefaultMaxBytesBilledPerQuery;

    public const long DefaultMaxBytesBilledPerQuery = 10L * 1024 * 1024 * 1024;

    /// <summary>BigQuery bills at least 10 MiB per table a query reads: a lower budget would refuse every query.</summary>
    public const long MinBytesBilledPerQuery = 10L * 1024 * 1024;

    /// <summary><see cref="MaxBytesBilledPerQuery"/>, checked; throws <see cref="InvalidExportRequestException"/> naming the setting.</summary>
    public long BytesBilledBudget() => MaxBytesBilledPerQuery >= MinBytesBilledPerQuery
        ? MaxBytesBilledPerQuery
        : throw new InvalidExportRequestException(
            $"invalid ExportFlows__MaxBytesBilledPerQuery {MaxBytesBilledPerQuery}: expected a number of bytes of at least {MinBytesBilledPerQuery} (10 MiB, " +
            $"BigQuery's minimum bill per table read); the default is {DefaultMaxBytesBilledPerQuery} (10 GiB)");

    /// <summary>API roots for emulators; default from BIGQUERY_EMULATOR_HOST / STORAGE_EMULATOR_HOST.</summary>
    public string? BigQueryEndpoint { get; init; }

    public string? StorageEndpoint { get; init; }

    /// <summary>Export types switched off everywhere (event-driven runs and schedules); reported as skipped.</summary>
    public string[] DisabledTypes { get; init; } = [];

    /// <summary>Folder of the generated sample warehouse used when <see cref="Warehouse"/> is empty.</summary>
    public string? SampleDataCache { get; init; }

    /// <summary>
    /// The types ExportFlows runs, comma-separated types or groups (<c>ExportFlows__EnabledTypes=subset-all,results</c>);
    /// empty = the native four. Any other type is reported <c>not-enabled</c> and never started, so a team moves one
    /// Cloud Scheduler job at a time.
    /// </summary>
    public string? EnabledTypes { get; init; }

    /// <summary>The task queue the external exporters' worker polls.</summary>
    public string ExternalTaskQueue { get; init; } = ExportConfiguration.DefaultExternalTaskQueue;

    /// <summary>How long an external export waits for a worker on that queue before it fails; empty = the policy table's value per type.</summary>
    public TimeSpan? ExternalScheduleToStart { get; init; }

    /// <summary>The enabled types as a set; throws <see cref="InvalidExportRequestException"/> naming an unknown one.</summary>
    public IReadOnlySet<string> EnabledTypeSet(ExportCatalog catalog) => ExportPlanner.EnabledTypes(catalog, EnabledTypes);

    /// <summary>What the workflows read through the <c>GetExportConfiguration</c> local activity, with the catalog in use.</summary>
    public ExportConfiguration ToConfiguration(ExportCatalog catalog) =>
        new(DisabledTypes, catalog.TypeNames.Where(EnabledTypeSet(catalog).Contains).ToList(), ExternalTaskQueue, ExternalScheduleToStart,
            Store, string.IsNullOrWhiteSpace(Warehouse) ? "embedded sample warehouse" : Warehouse, catalog);
}
