using System.Diagnostics.Metrics;
using ExportFlows.Activities.Catalog;

namespace ExportFlows.Worker.Telemetry;

/// <summary>
/// The catalog a worker uses, read at each scrape (which is also when an edited file is noticed):
/// <c>exportflows_catalog_info{source, fingerprint}</c> 1 for the catalog in use, and
/// <c>exportflows_catalog_edit_refused{source}</c> 1 while the file on disk does not validate (the worker keeps the
/// last valid catalog; <c>exportflows status</c> names the errors), else 0. On the host's own meter, as the freshness gauges.
/// </summary>
public sealed class CatalogGauges : IDisposable
{
    private readonly Meter _meter;
    private readonly IExportCatalogSource _catalogs;

    public CatalogGauges(IExportCatalogSource catalogs, FreshnessMeter meter)
    {
        _catalogs = catalogs;
        _meter = new Meter(meter.Name);
        _meter.CreateObservableGauge("exportflows.catalog.info", ObserveInfo, description: "1 for the catalog in use, by source and fingerprint");
        _meter.CreateObservableGauge("exportflows.catalog.edit_refused", ObserveRefused,
            description: "1 while the catalog file was edited and does not validate (the last valid catalog stays in use), else 0");
    }

    private Measurement<int> ObserveInfo()
    {
        var health = _catalogs.Health;
        return new Measurement<int>(1, new KeyValuePair<string, object?>("source", health.Source), new KeyValuePair<string, object?>("fingerprint", health.Fingerprint));
    }

    private Measurement<int> ObserveRefused()
    {
        var health = _catalogs.Health;
        return new Measurement<int>(health.EditRefused ? 1 : 0, new KeyValuePair<string, object?>("source", health.Source));
    }

    public void Dispose() => _meter.Dispose();
}
