using ExportFlows.Activities;
using ExportFlows.Activities.Catalog;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.PubSub;
using ExportFlows.Workflows.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace ExportFlows.Tests.PubSub;

/// <summary>A catalog edit that does not validate is visible on <c>/metrics</c>, logged once, and never used.</summary>
public sealed class CatalogMetricsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Metrics_CatalogFileEditedBadlyMidRun_RefusedGaugeOneLastValidKeptLoggedOnce()
    {
        var file = CatalogFiles.Write(_temp, "catalog.toml", CatalogFiles.Shipped);
        await using var host = await PushEndpointHost.StartAsync(new PubSubPushOptions { InsecureNoAuth = true }, new RecordingTonightClient().Client,
            exports: new ExportFlowsOptions { Warehouse = "duckdb:" + ExportHarness.SampleWarehouse, Store = "dir:" + _temp.Sub("out"), Catalog = file });
        var shipped = ExportCatalog.Shipped.Fingerprint;
        Assert.Equal(("0", shipped), await GaugesAsync(host));

        var bad = CatalogFiles.ShippedWith(("kind = \"native\"", "kind = \"nativ\""));
        Edit(file, bad, TimeSpan.FromMinutes(1));
        await Bounded.UntilAsync(async () => (await GaugesAsync(host)).Refused == "1", "exportflows_catalog_edit_refused 1");

        Assert.Equal(("1", shipped), await GaugesAsync(host));
        Assert.Equal(shipped, host.Services.GetRequiredService<IExportCatalogSource>().Current.Fingerprint);
        var logged = host.Logs.Messages.Where(m => m.Contains("was edited but does not validate", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(logged);
        Assert.StartsWith($"Error: Catalog {file} was edited but does not validate; still using {shipped}.", line, StringComparison.Ordinal);
        Assert.Contains($"{file}:{CatalogFiles.LineOf(bad, "\"nativ\"")}: types.subset-picks.kind: 'nativ' is not a kind", line, StringComparison.Ordinal);

        Edit(file, CatalogFiles.WithCalendar, TimeSpan.FromMinutes(2));
        var fixedFingerprint = ExportCatalogParser.Fingerprint(CatalogFiles.WithCalendar);
        await Bounded.UntilAsync(async () => await GaugesAsync(host) == ("0", fixedFingerprint), "the fixed catalog in use");
        Assert.Single(host.Logs.Messages, m => m.Contains("was edited but does not validate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_NoCatalogConfigured_InfoNamesTheShippedCatalog()
    {
        await using var host = await PushEndpointHost.StartAsync(new PubSubPushOptions { InsecureNoAuth = true }, new RecordingTonightClient().Client);

        var text = await host.Http.GetStringAsync(new Uri(host.BaseUri, "metrics")).Within();

        var info = Assert.Single(text.Split('\n'), l => l.StartsWith("exportflows_catalog_info{", StringComparison.Ordinal));
        Assert.Contains($"fingerprint=\"{ExportCatalog.Shipped.Fingerprint}\"", info, StringComparison.Ordinal);
        Assert.Contains($"source=\"{ExportCatalog.ShippedSource}\"", info, StringComparison.Ordinal);
        Assert.EndsWith(" 1", info.TrimEnd(), StringComparison.Ordinal);
    }

    /// <summary>A new version of the file whatever the clock's resolution: another modification time.</summary>
    private static void Edit(string file, string text, TimeSpan later)
    {
        File.WriteAllText(file, text);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow + later);
    }

    /// <summary>exportflows_catalog_edit_refused's value and exportflows_catalog_info's fingerprint label.</summary>
    private static async Task<(string? Refused, string? Fingerprint)> GaugesAsync(PushEndpointHost host)
    {
        var lines = (await host.Http.GetStringAsync(new Uri(host.BaseUri, "metrics")).Within()).Split('\n');
        var refused = lines.SingleOrDefault(l => l.StartsWith("exportflows_catalog_edit_refused{", StringComparison.Ordinal))?.TrimEnd().Split(' ')[^1];
        var info = lines.SingleOrDefault(l => l.StartsWith("exportflows_catalog_info{", StringComparison.Ordinal));
        if (info?.IndexOf("fingerprint=\"", StringComparison.Ordinal) is not { } at || at < 0)
        {
            return (refused, null);
        }
        return (refused, info[(at + 13)..info.IndexOf('"', at + 13)]);
    }

    public void Dispose() => _temp.Dispose();
}
