using System.CommandLine;
using ExportFlows.Activities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Worker.Cli;

/// <summary>Options shared by the commands that read the warehouse or write the store, and the services built from them.</summary>
public sealed class CliContext(TextWriter output, TextWriter error)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public Option<string?> Warehouse { get; } = new("--warehouse") { Description = "duckdb:DIR or bigquery:PROJECT (default: the embedded sample warehouse)" };

    public Option<string?> Store { get; } = new("--store") { Description = "dir:PATH or gcs:BUCKET (default: dir:out)" };

    public Option<string?> Credentials { get; } = new("--credentials") { Description = "service-account JSON file (default: Application Default Credentials)" };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "log progress to standard error" };

    public Option<string?> TemporalAddress { get; } = new("--temporal") { Description = "Temporal frontend HOST:PORT (default: Temporal:Address)" };

    public Option<string?> TaskQueue { get; } = new("--task-queue") { Description = "Temporal task queue (default: exportflows)" };

    public Option<string?> CatalogFile { get; } = new("--catalog") { Description = "the export catalog file (default: ExportFlows__Catalog, else the shipped catalog)" };

    public void AddTemporalTo(Command command)
    {
        command.Options.Add(TemporalAddress);
        command.Options.Add(TaskQueue);
        AddCatalogTo(command);
    }

    public void AddCatalogTo(Command command)
    {
        if (!command.Options.Contains(CatalogFile))
        {
            command.Options.Add(CatalogFile);
        }
    }

    /// <summary>The catalog the options name, validated (<see cref="Workflows.Catalog.InvalidCatalogException"/>, exit 2, names every error).</summary>
    public static Workflows.Catalog.ExportCatalog Catalog(ExportFlowsOptions options) => Activities.Catalog.CatalogFileSource.Load(options);

    public Temporal.TemporalSettings TemporalSettings(ParseResult parse, IConfiguration? configuration = null)
    {
        var settings = SettingsBinder.Bind<Temporal.TemporalSettings>(configuration ?? LoadConfiguration(), Temporal.TemporalSettings.Section);
        return settings with
        {
            Address = parse.GetValue(TemporalAddress) ?? settings.Address,
            TaskQueue = parse.GetValue(TaskQueue) ?? settings.TaskQueue,
        };
    }

    /// <summary>
    /// On Temporal the worker's warehouse and store are used: <c>--warehouse</c> and <c>--store</c> cannot apply there,
    /// so naming them is an error (exit 2) rather than silently ignored.
    /// </summary>
    public void RefuseLocalOptionsOnTemporal(ParseResult parse, string verb)
    {
        var given = new[] { (Warehouse, parse.GetValue(Warehouse)), (Store, parse.GetValue(Store)) }
            .Where(o => !string.IsNullOrWhiteSpace(o.Item2)).Select(o => o.Item1.Name).ToList();
        if (given.Count > 0)
        {
            throw new Workflows.Planning.InvalidExportRequestException(
                $"{string.Join(" and ", given)} cannot apply to a {verb} on Temporal: the worker reads its own warehouse and writes its own store " +
                $"(set ExportFlows__Warehouse / ExportFlows__Store where the worker runs); drop {string.Join(" and ", given)}, or add --in-process to {verb} in this process");
        }
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Warehouse);
        command.Options.Add(Store);
        command.Options.Add(Credentials);
        command.Options.Add(Verbose);
        AddCatalogTo(command);
    }

    public static IConfiguration LoadConfiguration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    /// <summary>Configuration first (appsettings.json, then ExportFlows__* environment variables), then the command line.</summary>
    public ExportFlowsOptions Options(ParseResult parse, IConfiguration? configuration = null)
    {
        configuration ??= LoadConfiguration();
        RefuseMovedSettings(configuration);
        var options = SettingsBinder.Bind<ExportFlowsOptions>(configuration, ExportFlowsOptions.Section);
        return options with
        {
            Warehouse = parse.GetValue(Warehouse) ?? options.Warehouse,
            Store = parse.GetValue(Store) ?? options.Store,
            CredentialsFile = parse.GetValue(Credentials) ?? options.CredentialsFile,
            Catalog = parse.GetValue(CatalogFile) ?? options.Catalog,
        };
    }

    /// <summary>Settings that moved into the catalog file: an old deployment's value must not be silently ignored.</summary>
    public static void RefuseMovedSettings(IConfiguration configuration)
    {
        if (configuration.GetSection("Schedules").Exists())
        {
            throw new Workflows.Planning.InvalidExportRequestException(
                "the Schedules configuration section is no longer read: schedules are [schedules.ID] rows of the export catalog (docs/catalog.md); move them there and remove Schedules__*");
        }
        if (configuration[$"{ExportFlowsOptions.Section}:ObjectPrefix"] is { Length: > 0 })
        {
            throw new Workflows.Planning.InvalidExportRequestException(
                "ExportFlows__ObjectPrefix is no longer read: each catalog object's path names its prefix (path = \"v1/…\", docs/catalog.md); remove the setting");
        }
    }

    public ServiceProvider Services(ExportFlowsOptions options, bool verbose, Action<IServiceCollection>? extra = null, IConfiguration? configuration = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddExportFlowsConsole(configuration ?? LoadConfiguration(), "HH:mm:ss "));
        services.AddExportFlows(options);
        extra?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
