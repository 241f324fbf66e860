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

    public string ObjectPrefix { get; init; } = "v1/";

    public string? SeasonStart { get; init; }

    /// <summary>Service-account JSON file; empty = Application Default Credentials.</summary>
    public string? CredentialsFile { get; init; }

    /// <summary>Project holding the datasets when it differs from the query project.</summary>
    public string? BigQueryDataProject { get; init; }

    public string? BigQueryLocation { get; init; }

    /// <summary>Bounds on one BigQuery answer (a query reading more fails, not retried); null = the defaults of BigQueryOptions.</summary>
    public long? BigQueryMaxRows { get; init; }

    public int? BigQueryMaxPages { get; init; }

    /// <summary>API roots for emulators; default from BIGQUERY_EMULATOR_HOST / STORAGE_EMULATOR_HOST.</summary>
    public string? BigQueryEndpoint { get; init; }

    public string? StorageEndpoint { get; init; }

    /// <summary>Export types switched off everywhere (event-driven runs and schedules); reported as skipped.</summary>
    public string[] DisabledTypes { get; init; } = [];

    /// <summary>Folder of the generated sample warehouse used when <see cref="Warehouse"/> is empty.</summary>
    public string? SampleDataCache { get; init; }
}
