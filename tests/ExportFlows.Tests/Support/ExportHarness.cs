using ExportFlows.Activities;
using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Sample;
using ExportFlows.Activities.Storage;
using ExportFlows.Worker.Engines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Tests.Support;

/// <summary>The real services (DuckDB warehouse, local folder store) wired as the CLI wires them.</summary>
public sealed class ExportHarness : IDisposable
{
    private readonly ServiceProvider _services;

    /// <param name="warehouseFolder">A DuckDB folder, or null for the warehouse of <paramref name="options"/>.</param>
    /// <param name="clock">The machine clock the exporters read (when inputs were read, when a document was confirmed); default the system's.</param>
    public ExportHarness(string? warehouseFolder, string storeFolder, ExportFlowsOptions? options = null, TimeProvider? clock = null)
    {
        var services = new ServiceCollection();
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddProvider(Logs));
        options ??= new ExportFlowsOptions();
        services.AddExportFlows(options with { Warehouse = warehouseFolder is null ? options.Warehouse : "duckdb:" + warehouseFolder, Store = "dir:" + storeFolder });
        services.AddSingleton<InProcessExportEngine>();
        _services = services.BuildServiceProvider();
    }

    public CapturingLoggerProvider Logs { get; } = new();

    public ExportActivities Activities => _services.GetRequiredService<ExportActivities>();

    public InProcessExportEngine Engine => _services.GetRequiredService<InProcessExportEngine>();

    public LocalFolderObjectStore Store => (LocalFolderObjectStore)_services.GetRequiredService<IObjectStore>();

    public ExportFlows.Activities.Subsets.SubsetWarehouseReader Reader => _services.GetRequiredService<ExportFlows.Activities.Subsets.SubsetWarehouseReader>();

    public ExportFlows.Activities.Catalog.IExportCatalogSource Catalogs => _services.GetRequiredService<ExportFlows.Activities.Catalog.IExportCatalogSource>();

    public ExportFlows.Activities.Subsets.ExportSettings Settings => _services.GetRequiredService<ExportFlows.Activities.Subsets.ExportSettings>();

    public IEnumerable<SubsetExporter> Exporters => _services.GetServices<SubsetExporter>();

    public UnchangedInputs Unchanged => _services.GetRequiredService<UnchangedInputs>();

    public T Exporter<T>() where T : SubsetExporter => _services.GetServices<SubsetExporter>().OfType<T>().Single();

    public static string HandFixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "hand");

    public static string Expected(string name) => File.ReadAllText(Path.Combine(HandFixture, "expected", name));

    /// <summary>A 40-day season ending with two pre-game dates, generated once per test run.</summary>
    public static SampleDataOptions SampleSeason { get; } = new(new DateOnly(2026, 1, 1), 40, 7);

    private static readonly Lazy<string> SharedSample = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "exportflows-tests", $"sample-v{SampleDataGenerator.Version}-{Environment.ProcessId}");
        SampleDataGenerator.Generate(folder, SampleSeason);
        return folder;
    });

    public static string SampleWarehouse => SharedSample.Value;

    public void Dispose() => _services.Dispose();
}

public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return _messages.ToList();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (provider._messages)
            {
                // An exception is logged with its stack trace, so it is kept: tests see whether a failure was one line.
                provider._messages.Add($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
            }
        }
    }
}
