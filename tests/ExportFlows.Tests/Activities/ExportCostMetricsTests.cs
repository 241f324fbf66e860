using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ExportFlows.Activities;
using ExportFlows.Activities.Telemetry;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Tests.Activities;

/// <summary>
/// The cost counters per export type carry BigQuery's figures of the export's jobs. Other tests export in parallel on
/// the same process-wide meter, so this one reads only its own measurements: those of a table size no other test uses.
/// </summary>
public sealed class ExportCostMetricsTests : IDisposable
{
    private const long DefinitionsBytes = 987_654_321;
    private const long Billed = 942 * FakeBigQueryServer.MiB; // rounded up to the MiB

    private readonly TempFolder _temp = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentBag<(string Instrument, long Value, string? Type)> _measurements = [];

    public ExportCostMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ExportMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? type = null;
            foreach (var tag in tags)
            {
                type = tag.Key == "type" ? tag.Value as string : type;
            }
            _measurements.Add((instrument.Name, value, type));
        });
        _listener.Start();
    }

    [Fact]
    public async Task RunAsync_ExportOnBigQuery_CountersPerTypeCarryTheJobStatistics()
    {
        using var backend = new DuckDbWarehouse(ExportHarness.SampleWarehouse, NullLogger<DuckDbWarehouse>.Instance);
        await using var server = new FakeBigQueryServer { Backend = backend };
        await server.StartAsync();
        server.TableBytes[WarehouseTable.SubsetDefinitions.QualifiedName] = DefinitionsBytes;
        using var harness = new ExportHarness(null, _temp.Path, new ExportFlowsOptions { Warehouse = "bigquery:test-project", BigQueryEndpoint = server.BaseUri.ToString() });

        var written = await harness.Activities.RunAsync(ExportCatalog.Shipped.Get("subset-definitions"), new ExportJob("subset-definitions", null, null, DateTimeOffset.UtcNow), 1, CancellationToken.None);

        Assert.Equal((DefinitionsBytes, Billed), (written.Cost!.BytesProcessed, written.Cost.BytesBilled));
        Assert.Contains(("exportflows.bigquery.billed", Billed, "subset-definitions"), _measurements);
        Assert.Contains(("exportflows.bigquery.processed", DefinitionsBytes, "subset-definitions"), _measurements);
        Assert.Contains(("exportflows.bigquery.slot", 1 + (DefinitionsBytes / 1000), "subset-definitions"), _measurements);
        Assert.Contains(("exportflows.export.queries", 1L, "subset-definitions"), _measurements);
        Assert.Contains(("exportflows.uploads", 1L, "subset-definitions"), _measurements);
        Assert.DoesNotContain(_measurements, m => m.Instrument == "exportflows.duckdb.file.read" && m.Value == DefinitionsBytes);
    }

    [Fact]
    public void Spent_DuckDbCost_NoBigQueryFigureRecorded()
    {
        const long Rows = 4_242_424_243;
        ExportMetrics.Spent("cost-metrics-test", ExportCost.DuckDbQuery(Rows, 17));

        Assert.Contains(("exportflows.warehouse.rows_read", Rows, "cost-metrics-test"), _measurements);
        Assert.Contains(("exportflows.duckdb.file.read", 17L, "cost-metrics-test"), _measurements);
        Assert.DoesNotContain(_measurements, m => m.Type == "cost-metrics-test" && m.Instrument.StartsWith("exportflows.bigquery.", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _temp.Dispose();
    }
}
