using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Planning;

public sealed class RunMetadataTests
{
    [Fact]
    public void Summary_Plan_TypesDateAndTrigger()
    {
        var plan = ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["subset-picks", "daily-signals"], "2026-02-03", Trigger: "orchestrator"),
            DateTimeOffset.Parse("2026-02-03T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("subset-picks, daily-signals · 2026-02-03 · orchestrator", RunMetadata.Summary(plan));
    }

    [Fact]
    public void Summary_ManyTypes_FirstSixAndACount()
    {
        var types = ExportCatalog.Shipped.TypeNames.Take(9).ToList();

        Assert.EndsWith(" +3 · no date · schedule:x", RunMetadata.Summary(types, null, "schedule:x"), StringComparison.Ordinal);
    }

    [Fact]
    public void Details_KnownValuesOnly_OneMarkdownLineEach() =>
        Assert.Equal("**store**: gcs:bucket\n**trigger**: cli", RunMetadata.Details(("store", "gcs:bucket"), ("warehouse", null), ("trigger", "cli")));
}
