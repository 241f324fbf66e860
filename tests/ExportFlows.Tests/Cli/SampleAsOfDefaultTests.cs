using ExportFlows.Activities;
using ExportFlows.Worker.Cli;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Cli;

public sealed class SampleAsOfDefaultTests
{
    private static readonly DateTimeOffset Today = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);

    private static (ExportRequest Request, string? Note) Apply(ExportRequest request, ExportFlowsOptions options, bool readsOwnWarehouse) =>
        SampleAsOfDefault.Apply(request, ExportPlanner.Plan(ExportCatalog.Shipped, request, Today), options, readsOwnWarehouse);

    [Fact]
    public void Apply_SampleWithoutAsOfAfterItsSeason_SeasonsLastDayAndANote()
    {
        var (request, note) = Apply(new ExportRequest(["subset-all"], "2026-02-03"), new ExportFlowsOptions(), readsOwnWarehouse: true);

        Assert.Equal("2026-02-17", request.AsOf);
        Assert.Equal("note: the embedded sample season ends on 2026-02-17, so the as-of date is 2026-02-17, not 2026-12-07 (--as-of chooses another)", note);
    }

    [Theory]
    [InlineData(null, "duckdb:/data", true)]        // a real warehouse: today is the as-of date
    [InlineData(null, null, false)]                 // a configured Temporal cluster: the worker's warehouse decides
    [InlineData("2026-12-01", null, true)]          // the user's own --as-of
    public void Apply_NotTheSampleOrAsOfGiven_RequestUnchanged(string? asOf, string? warehouse, bool readsOwnWarehouse)
    {
        var given = new ExportRequest(["subset-all"], "2026-02-03", asOf);

        var (request, note) = Apply(given, new ExportFlowsOptions { Warehouse = warehouse }, readsOwnWarehouse);

        Assert.Same(given, request);
        Assert.Null(note);
    }

    [Fact]
    public void Apply_TypesWithoutAnAsOfDate_RequestUnchanged()
    {
        var given = new ExportRequest(["subset-picks"], "2026-02-03");

        Assert.Same(given, Apply(given, new ExportFlowsOptions(), readsOwnWarehouse: true).Request);
    }
}
