using System.Text.Json.Nodes;
using ExportFlows.Activities.Exporters;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;

namespace ExportFlows.Tests.Orchestration;

/// <summary>
/// The native export activities speak the external contract: what the workflow sends and what a native exporter
/// answers go through Temporal's default converter unchanged, native extras (as_of, force, allow_empty) included.
/// </summary>
public sealed class NativeContractTests
{
    private static readonly IPayloadConverter Converter = DataConverter.Default.PayloadConverter;
    private static readonly DateTimeOffset Now = new(2026, 2, 10, 18, 0, 0, 123, 456, TimeSpan.Zero);

    private static T Through<T>(object value, out Payload payload)
    {
        payload = Converter.ToPayload(value);
        Assert.Equal("json/plain", payload.Metadata["encoding"].ToStringUtf8());
        return Converter.ToValue<T>(payload);
    }

    public static TheoryData<string, bool, bool> NativeRequests()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var type in ExportCatalog.Shipped.NativeTypes)
        {
            data.Add(type, false, false);
            data.Add(type, true, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(NativeRequests))]
    public void FromInput_PlannedJobThroughTheConverter_TheSameJob(string type, bool force, bool allowEmpty)
    {
        var catalog = ExportCatalog.Shipped;
        var plan = ExportPlanner.Plan(catalog, new ExportRequest([type], "2026-02-10", AsOf: "2026-02-09", CorrelationId: "corr-native", Force: force, AllowEmpty: allowEmpty), Now);
        var job = Assert.Single(plan.Jobs);
        var row = catalog.Get(type);

        var input = Through<ExportActivityInput>(ExportPlanner.Input(row, plan, job, "workflow-id"), out var payload);

        Assert.Equal(job, ExportJobs.FromInput(row, input));
        var options = JsonNode.Parse(payload.Data.ToStringUtf8())!["options"]!.AsObject();
        Assert.Equal(row.DateKind == ExportDateKind.AsOfDate ? "2026-02-09" : null, options["as_of"]?.GetValue<string>());
        Assert.Equal((force ? true : null, allowEmpty ? true : null), (options["force"]?.GetValue<bool>(), options["allow_empty"]?.GetValue<bool>()));
        Assert.Equal("2026-02-10T18:00:00.123456+00:00", input.RequestedAt);
    }

    [Fact]
    public void FromInput_NativeExtrasFixture_AsOfForceAndAllowEmptyRead()
    {
        var input = Converter.ToValue<ExportActivityInput>(ContractFixtures.JsonPayload(ContractFixtures.Text("input-native-extras.json")));

        var job = ExportJobs.FromInput(ExportCatalog.Shipped.Get("subset-performance"), input with { ExportType = "subset-performance" });

        Assert.Equal(new ExportJob("subset-performance", null, new DateOnly(2026, 2, 10), new DateTimeOffset(2026, 2, 10, 18, 0, 0, TimeSpan.Zero),
            "fixture-native-extras-2026-02-10", Force: true, AllowEmpty: false)
        { SkipWhenInputsUnchanged = true }, job);
    }

    [Fact]
    public void ToResult_WrittenThroughTheConverter_TheNativeFixtureAndTheSameOutcome()
    {
        var written = new ExportedObject("subset-picks", "v1/picks/2026-02-10.json", 2048, "public, max-age=300", "1770800000000003", 2);

        var result = Through<ExportActivityResult>(ExportJobs.ToResult(written), out var payload);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ContractFixtures.Text("output-native-subset-picks.json")), JsonNode.Parse(payload.Data.ToStringUtf8())), payload.Data.ToStringUtf8());
        Assert.Equal((2, (long?)null), (result.Attempt, result.ObjectCount));
        var outcome = ExportResultCheck.Outcome("json/plain", payload.Data.Span, ExportCatalog.Shipped.Get("subset-picks"), new DateOnly(2026, 2, 10), "exportflows", TimeSpan.FromSeconds(1));
        Assert.Equal(ExportReportBuilder.Success(written, 2, TimeSpan.FromSeconds(1)), outcome with { Objects = null });
        Assert.Equal([new ExportActivityObject("v1/picks/2026-02-10.json", 2048, "1770800000000003")], outcome.Objects);
    }

    [Fact]
    public void ToResult_SkippedThroughTheConverter_ReasonAndAttemptKept()
    {
        var skipped = new ExportedObject("subset-performance", "v1/subsets/performance.json", 0, "public, max-age=3600", null, 1, "a newer document is in place");

        var result = Through<ExportActivityResult>(ExportJobs.ToResult(skipped), out var payload);

        Assert.Equal(("a newer document is in place", 1, 0), (result.SkippedReason, result.Attempt, result.Objects.Count));
        var outcome = ExportResultCheck.Outcome("json/plain", payload.Data.Span, ExportCatalog.Shipped.Get("subset-performance"), null, "exportflows", TimeSpan.Zero);
        Assert.Equal((ExportStatus.Skipped, "a newer document is in place", 1), (outcome.Status, outcome.Error, outcome.Attempts));
    }

    [Fact]
    public void Configuration_CatalogThroughTheConverter_EveryFieldKept()
    {
        // The catalog reaches workflows inside the configuration local activity's result: nothing may be lost on the way.
        var configuration = new ExportConfiguration([], ["subset-picks"], "q", Catalog: Catalog.CatalogText.ShippedWithNewTypes);

        var back = Through<ExportConfiguration>(configuration, out var payload);

        Assert.Equal(payload.Data.ToStringUtf8(), Converter.ToPayload(back).Data.ToStringUtf8());
        Assert.Equal(configuration.Catalog!.TypeNames, back.Catalog!.TypeNames);
        Assert.Equal(new ExporterArgument(null, "30"), back.Catalog.Get("calendar").Call!.Kwargs["days_back"]);
        Assert.Equal(configuration.Catalog.Get("player-profiles").Policy, back.Catalog.Get("player-profiles").Policy);
        Assert.True(payload.Data.Length < 200_000, $"{payload.Data.Length} bytes of catalog in every run's history");
    }
}
