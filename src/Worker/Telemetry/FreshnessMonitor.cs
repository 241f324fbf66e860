using System.Diagnostics.Metrics;
using ExportFlows.Activities;
using ExportFlows.Activities.Catalog;
using ExportFlows.Activities.Storage;
using ExportFlows.Worker.Status;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Worker.Telemetry;

/// <summary>
/// Every minute, the freshness of today's documents by the rule <c>status</c> uses, as the gauges
/// <c>exportflows_document_age_seconds</c> (age of the published document; absent when there is none) and
/// <c>exportflows_document_fresh</c> (1 fresh, 0 stale or missing), per export type.
/// </summary>
public sealed class FreshnessMonitor : BackgroundService
{
    private readonly Meter _meter;
    private readonly IObjectStore _store;
    private readonly ExportFlowsOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<FreshnessMonitor> _logger;
    private IReadOnlyList<EndpointStatus> _latest = [];
    private DateTimeOffset _checkedAt;

    private readonly IExportCatalogSource _catalogs;

    public FreshnessMonitor(IObjectStore store, ExportFlowsOptions options, IExportCatalogSource catalogs, TimeProvider clock, FreshnessMeter meter,
        ILogger<FreshnessMonitor> logger)
    {
        _catalogs = catalogs;
        _meter = new Meter(meter.Name);
        _store = store;
        _options = options;
        _clock = clock;
        _logger = logger;
        _meter.CreateObservableGauge("exportflows.document.age", ObserveAge, unit: "s", description: "age of the published document, by export type");
        _meter.CreateObservableGauge("exportflows.document.fresh", ObserveFresh, description: "1 when the document meets its freshness rule, else 0");
    }

    public static TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    public async Task CheckOnceAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var catalog = _catalogs.Current;
        var enabled = _options.EnabledTypeSet(catalog);
        var status = new StatusService(_store, catalog, ExportScheduleCatalog.MarkEnabled(catalog, enabled), client: null, enabled);
        _latest = await status.CheckAsync(ExportDates.EasternDate(now), now, cancellationToken);
        _checkedAt = now;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _clock);
        do
        {
            try
            {
                await CheckOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning("Freshness check failed: {Error}; the gauges keep their last values", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private IEnumerable<Measurement<double>> ObserveAge() => _latest
        .Where(e => e.Updated is not null)
        .Select(e => new Measurement<double>((_checkedAt - e.Updated!.Value).TotalSeconds, Tags(e)));

    private IEnumerable<Measurement<int>> ObserveFresh() => _latest
        .Select(e => new Measurement<int>(e.Freshness == "fresh" ? 1 : 0, Tags(e)));

    /// <summary>A type may publish several objects (a dated one and latest.json): each is its own series, by path pattern.</summary>
    private static KeyValuePair<string, object?>[] Tags(EndpointStatus e) =>
        [new("type", e.Type), new("object", e.Pattern ?? e.ObjectName)];

    public override void Dispose()
    {
        _meter.Dispose();
        base.Dispose();
    }
}

/// <summary>
/// The meter of one host's own gauges (freshness, and the catalog's: <see cref="CatalogGauges"/>). Gauges report the
/// state of their own host's store and catalog, so two hosts in one process (tests; never production) must not share a
/// meter: the first host gets the plain name, later ones a suffix.
/// </summary>
public sealed record FreshnessMeter(string Name)
{
    public const string BaseName = Activities.Telemetry.ExportMetrics.MeterName + ".Freshness";

    private static int _created;

    public static FreshnessMeter Create() =>
        Interlocked.Increment(ref _created) is var n && n == 1 ? new(BaseName) : new($"{BaseName}.{n}");
}
