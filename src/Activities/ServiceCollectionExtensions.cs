using System.Globalization;
using ExportFlows.Activities.Catalog;
using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Google;
using ExportFlows.Activities.Sample;
using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities;

public static class ServiceCollectionExtensions
{
    /// <summary>Registers the warehouse, the object store, the exporters and <see cref="ExportActivities"/>.</summary>
    public static IServiceCollection AddExportFlows(this IServiceCollection services, ExportFlowsOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<IExportCatalogSource>(sp => new CatalogFileSource(options.Catalog, NativeExporters.Names,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<CatalogFileSource>()));
        services.AddSingleton(sp =>
        {
            var catalogs = sp.GetRequiredService<IExportCatalogSource>();
            return new ExportSettings
            {
                ModelId = options.ModelId,
                SeasonStart = string.IsNullOrWhiteSpace(options.SeasonStart) ? null : ExportDates.Parse(options.SeasonStart, "season start"),
                Catalog = () => catalogs.Current,
            };
        });
        services.AddHttpClient(BigQueryHttpClient, http => http.Timeout = TimeSpan.FromMinutes(10))
            .AddResilienceHandler("google-api", (pipeline, context) => GoogleApiResilience.ConfigureHttp(pipeline, new RetryPolicy(), TimeSpan.FromSeconds(100),
                context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("ExportFlows.GoogleApi")));
        services.AddSingleton(sp => CreateWarehouse(options, sp.GetRequiredService<ILoggerFactory>(), sp.GetService<IHttpClientFactory>()));
        services.AddSingleton(sp => CreateStore(options, sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UnchangedInputs>();
        services.AddSingleton<SubsetWarehouseReader>();
        foreach (var exporter in NativeExporters.ByName.Values)
        {
            services.AddSingleton(typeof(SubsetExporter), exporter);
        }
        services.AddSingleton<SpanExportService>();
        services.AddSingleton<ExportActivities>();
        return services;
    }

    /// <summary>The name of BigQuery's HttpClient in IHttpClientFactory, with the Google retry pipeline.</summary>
    public const string BigQueryHttpClient = "BigQuery";

    public static IWarehouse CreateWarehouse(ExportFlowsOptions options, ILoggerFactory loggers, IHttpClientFactory? http = null)
    {
        var (kind, value) = Split(options.Warehouse, "warehouse", "duckdb:DIR or bigquery:PROJECT");
        switch (kind)
        {
            case "":
                return new DuckDbWarehouse(EnsureSampleData(options, loggers.CreateLogger("SampleData")), loggers.CreateLogger<DuckDbWarehouse>()) { KeepOnlySystem = options.ModelId };
            case "duckdb":
                return new DuckDbWarehouse(value, loggers.CreateLogger<DuckDbWarehouse>()) { KeepOnlySystem = options.ModelId };
            case "bigquery":
                var endpoint = options.BigQueryEndpoint ?? EmulatorHost("BIGQUERY_EMULATOR_HOST");
                var logger = loggers.CreateLogger<BigQueryWarehouse>();
                var client = new GoogleApiClient("BigQuery",
                    http?.CreateClient(BigQueryHttpClient) ?? GoogleApiResilience.HttpClient(new RetryPolicy(), TimeSpan.FromSeconds(100), logger),
                    TokenSource(options, endpoint), new RetryPolicy(), logger);
                return new BigQueryWarehouse(new BigQueryOptions
                {
                    Project = GoogleResourceNames.Project(value, "BigQuery project"),
                    DataProject = options.BigQueryDataProject is { Length: > 0 } data ? GoogleResourceNames.Project(data, "BigQuery data project (ExportFlows__BigQueryDataProject)") : null,
                    Location = options.BigQueryLocation is { Length: > 0 } location ? GoogleResourceNames.Location(location, "BigQuery location (ExportFlows__BigQueryLocation)") : null,
                    BaseUri = endpoint is null ? new Uri("https://bigquery.googleapis.com/") : new Uri(endpoint),
                    MaxRows = options.BigQueryMaxRows is > 0 and var rows ? rows : BigQueryOptions.DefaultMaxRows,
                    MaxPages = options.BigQueryMaxPages is > 0 and var pages ? pages : BigQueryOptions.DefaultMaxPages,
                    JobWait = options.BigQueryJobWait is { } wait && wait > TimeSpan.Zero ? wait : BigQueryOptions.DefaultJobWait,
                    MaxPolls = options.BigQueryMaxPolls is > 0 and var polls ? polls : BigQueryOptions.DefaultMaxPolls,
                    MaxBytesBilled = options.BytesBilledBudget(),
                }, client, loggers.CreateLogger<BigQueryWarehouse>());
            default:
                throw new InvalidExportRequestException($"unknown warehouse '{options.Warehouse}': expected duckdb:DIR or bigquery:PROJECT");
        }
    }

    public static IObjectStore CreateStore(ExportFlowsOptions options, ILoggerFactory loggers)
    {
        var (kind, value) = Split(options.Store, "store", "dir:PATH or gcs:BUCKET");
        switch (kind)
        {
            case "dir":
                return new LocalFolderObjectStore(value);
            case "gcs":
                var endpoint = options.StorageEndpoint ?? EmulatorHost("STORAGE_EMULATOR_HOST");
                var gcs = new GcsOptions
                {
                    Bucket = GoogleResourceNames.Bucket(value, "bucket"),
                    BaseUri = endpoint is null ? new Uri("https://storage.googleapis.com/") : new Uri(endpoint),
                };
                var tokens = TokenSource(options, endpoint);
                return new GcsObjectStore(gcs, GcsObjectStore.CreateClient(gcs, tokens, anonymous: tokens is AnonymousTokenSource), logger: loggers.CreateLogger<GcsObjectStore>());
            default:
                throw new InvalidExportRequestException($"unknown store '{options.Store}': expected dir:PATH or gcs:BUCKET");
        }
    }

    /// <summary>The embedded warehouse: the sample season, generated once into a cache folder.</summary>
    public static string EnsureSampleData(ExportFlowsOptions options, ILogger logger)
    {
        var sample = SampleDataOptions.Default;
        var folder = options.SampleDataCache ?? Path.Combine(CacheRoot(), "exportflows",
            string.Create(CultureInfo.InvariantCulture, $"sample-v{SampleDataGenerator.Version}-{sample.From:yyyyMMdd}-{sample.Days}-{sample.Seed}"));
        var marker = Path.Combine(folder, ".complete");
        if (!File.Exists(marker))
        {
            logger.LogInformation("Generating the sample warehouse into {Folder} (once)", folder);
            SampleDataGenerator.Generate(folder, sample);
            File.WriteAllText(marker, "");
        }
        return folder;
    }

    private static string CacheRoot() =>
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");

    private static IAccessTokenSource TokenSource(ExportFlowsOptions options, string? emulatorEndpoint) =>
        emulatorEndpoint is not null && options.CredentialsFile is null
            ? new AnonymousTokenSource()
            : new GoogleCredentialTokenSource(string.IsNullOrWhiteSpace(options.CredentialsFile) ? null : options.CredentialsFile);

    private static string? EmulatorHost(string variable) => Environment.GetEnvironmentVariable(variable) switch
    {
        null or "" => null,
        var host when host.StartsWith("http", StringComparison.OrdinalIgnoreCase) => host.TrimEnd('/') + "/",
        var host => $"http://{host.TrimEnd('/')}/",
    };

    private static (string Kind, string Value) Split(string? spec, string what, string expected)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            return ("", "");
        }
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == spec.Length - 1)
        {
            throw new InvalidExportRequestException($"invalid {what} '{spec}': expected {expected}");
        }
        return (spec[..colon].ToLowerInvariant(), spec[(colon + 1)..]);
    }
}
