using ExportFlows.Activities;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.PubSub;
using ExportFlows.Worker.Telemetry;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace ExportFlows.Tests.PubSub;

/// <summary>The worker's <c>/metrics</c>, scraped as Prometheus would after real exports.</summary>
public sealed class MetricsEndpointTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Metrics_AfterExports_CountersDurationsQueriesAndFreshnessMoved()
    {
        var recording = new RecordingTonightClient();
        var exports = new ExportFlowsOptions { Warehouse = "duckdb:" + ExportHarness.SampleWarehouse, Store = "dir:" + _temp.Path };
        await using var host = await PushEndpointHost.StartAsync(new PubSubPushOptions { InsecureNoAuth = true }, recording.Client, exports: exports);
        var activities = host.Services.GetRequiredService<ExportActivities>();
        var now = DateTimeOffset.UtcNow;

        await activities.RunAsync(ExportCatalog.Shipped.Get("subset-definitions"), new ExportJob("subset-definitions", null, null, now), 1, CancellationToken.None);
        await activities.RunAsync(ExportCatalog.Shipped.Get("daily-signals"), new ExportJob("daily-signals", new DateOnly(2026, 1, 20), null, now), 1, CancellationToken.None);
        // The cost series BigQuery's statistics feed (bytes billed, slot time) exist once an export ran on BigQuery.
        using (var backend = new ExportFlows.Activities.Warehouse.DuckDbWarehouse(ExportHarness.SampleWarehouse, Microsoft.Extensions.Logging.Abstractions.NullLogger<ExportFlows.Activities.Warehouse.DuckDbWarehouse>.Instance))
        {
            await using var bigQuery = new FakeBigQueryServer { Backend = backend };
            await bigQuery.StartAsync();
            using var onBigQuery = new ExportHarness(null, _temp.Sub("bq"), new ExportFlowsOptions { Warehouse = "bigquery:test-project", BigQueryEndpoint = bigQuery.BaseUri.ToString() });
            await onBigQuery.Activities.RunAsync(ExportCatalog.Shipped.Get("subset-definitions"), new ExportJob("subset-definitions", null, null, now), 1, CancellationToken.None);
        }
        await host.Services.GetRequiredService<FreshnessMonitor>().CheckOnceAsync(CancellationToken.None);
        using (var push = await host.Http.PostAsync(new Uri(host.BaseUri, "pubsub/predictions-complete"), new StringContent(
            PubSubPushEndpointTests.Envelope(PubSubPushEndpointTests.Phase5Message(), "m-metrics"), System.Text.Encoding.UTF8, "application/json")).Within())
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, push.StatusCode);
        }
        var text = await host.Http.GetStringAsync(new Uri(host.BaseUri, "metrics")).Within();

        var lines = text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("exportflows_documents_total{", StringComparison.Ordinal)
            && l.Contains("type=\"subset-definitions\"", StringComparison.Ordinal) && l.Contains("outcome=\"written\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("exportflows_export_duration_seconds_count{", StringComparison.Ordinal) && l.Contains("type=\"daily-signals\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("exportflows_document_bytes_total{", StringComparison.Ordinal) && l.Contains("type=\"daily-signals\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("exportflows_warehouse_queries_total{", StringComparison.Ordinal) && l.Contains("query=\"subset_definitions\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("exportflows_document_fresh{", StringComparison.Ordinal) && l.Contains("type=\"subset-definitions\"", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("exportflows_document_fresh{", StringComparison.Ordinal) && l.Contains("type=\"subset-performance\"", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" 0", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("exportflows_document_age_seconds{", StringComparison.Ordinal) && l.Contains("type=\"subset-definitions\"", StringComparison.Ordinal));

        // Every ExportFlows series the provisioned Grafana dashboard queries exists on the endpoint.
        var dashboard = File.ReadAllText(RepositoryFiles.PathOf("deploy", "grafana", "dashboards", "exportflows.json"));
        var queried = System.Text.RegularExpressions.Regex.Matches(dashboard, @"exportflows_[a-z_]+").Select(m => m.Value).Distinct().ToList();
        Assert.NotEmpty(queried);
        foreach (var series in queried)
        {
            Assert.True(lines.Any(l => l.StartsWith(series, StringComparison.Ordinal)), $"the dashboard queries {series}, which /metrics does not serve");
        }
    }

    [Fact]
    public async Task Metrics_TwoHostsInOneProcess_EachReportsTheFreshnessOfItsOwnStore()
    {
        async Task<PushEndpointHost> HostAsync(string store) => await PushEndpointHost.StartAsync(new PubSubPushOptions { InsecureNoAuth = true },
            new RecordingTonightClient().Client, exports: new ExportFlowsOptions { Warehouse = "duckdb:" + ExportHarness.SampleWarehouse, Store = "dir:" + store });
        await using var exported = await HostAsync(_temp.Sub("exported"));
        await using var empty = await HostAsync(_temp.Sub("empty"));
        await exported.Services.GetRequiredService<ExportActivities>().RunAsync(ExportCatalog.Shipped.Get("subset-definitions"),
            new ExportJob("subset-definitions", null, null, DateTimeOffset.UtcNow), 1, CancellationToken.None);

        async Task<string?> DefinitionsFreshAsync(PushEndpointHost host)
        {
            await host.Services.GetRequiredService<FreshnessMonitor>().CheckOnceAsync(CancellationToken.None);
            var text = await host.Http.GetStringAsync(new Uri(host.BaseUri, "metrics")).Within();
            return text.Split('\n').SingleOrDefault(l => l.StartsWith("exportflows_document_fresh{", StringComparison.Ordinal)
                && l.Contains("type=\"subset-definitions\"", StringComparison.Ordinal))?.TrimEnd().Split(' ')[^1];
        }

        Assert.Equal(("1", "0"), (await DefinitionsFreshAsync(exported), await DefinitionsFreshAsync(empty)));
    }

    [Fact]
    public async Task Metrics_TypeWithTwoObjects_OneFreshnessSeriesPerObject()
    {
        await using var host = await PushEndpointHost.StartAsync(new PubSubPushOptions { InsecureNoAuth = true }, new RecordingTonightClient().Client,
            exports: new ExportFlowsOptions { Warehouse = "duckdb:" + ExportHarness.SampleWarehouse, Store = "dir:" + _temp.Sub("two"), EnabledTypes = "subset-all,results" });
        await host.Services.GetRequiredService<FreshnessMonitor>().CheckOnceAsync(CancellationToken.None);

        var text = await host.Http.GetStringAsync(new Uri(host.BaseUri, "metrics")).Within();

        var results = text.Split('\n').Where(l => l.StartsWith("exportflows_document_fresh{", StringComparison.Ordinal) && l.Contains("type=\"results\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, results.Count);
        Assert.Contains(results, l => l.Contains("object=\"v1/results/{date}.json\"", StringComparison.Ordinal));
        Assert.Contains(results, l => l.Contains("object=\"v1/results/latest.json\"", StringComparison.Ordinal));
    }

    public void Dispose() => _temp.Dispose();
}
