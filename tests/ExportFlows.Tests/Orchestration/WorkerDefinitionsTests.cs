using ExportFlows.Activities;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Activities;
using Temporalio.Workflows;

namespace ExportFlows.Tests.Orchestration;

/// <summary>What the SDK checks when a worker registers our types; runs without a server.</summary>
public sealed class WorkerDefinitionsTests
{
    private static readonly string[] ActivityNames =
    [
        ExportActivityNames.CountActivePredictions, ExportActivityNames.GetExportConfiguration, ExportActivityNames.ExportDateSpan,
    ];

    [Fact]
    public void WorkflowDefinition_Phase6Workflows_ValidWithSignalAndQuery()
    {
        var export = WorkflowDefinition.Create(typeof(Phase6ExportWorkflow));
        var tonight = WorkflowDefinition.Create(typeof(Phase6TonightWorkflow));

        Assert.Equal("Phase6ExportWorkflow", export.Name);
        Assert.Equal("Phase6TonightWorkflow", tonight.Name);
        Assert.Equal(["PredictionsComplete"], tonight.Signals.Keys);
        Assert.Equal(["Deliveries", "Runs"], tonight.Queries.Keys.Order(StringComparer.Ordinal));
        var backfill = WorkflowDefinition.Create(typeof(Phase6BackfillWorkflow));
        Assert.Equal("Phase6BackfillWorkflow", backfill.Name);
        Assert.Equal(["Progress"], backfill.Queries.Keys);
    }

    [Fact]
    public void ActivityDefinitions_RealAndFake_SameNames()
    {
        using var store = new TempFolder();
        using var harness = new ExportHarness(ExportHarness.HandFixture, store.Path);
        var real = ActivityDefinition.CreateAll(harness.Activities).ToList();
        var fake = ActivityDefinition.CreateAll(new FakeExportActivities()).ToList();

        // Every export is the one dynamic activity: a catalog row's activity name needs no registration of its own.
        Assert.Equal(ActivityNames.Order(), real.Where(a => !a.Dynamic).Select(a => a.Name).Order());
        Assert.Equal(real.Where(a => !a.Dynamic).Select(a => a.Name).Order(), fake.Where(a => !a.Dynamic).Select(a => a.Name).Order());
        Assert.Single(real, a => a.Dynamic);
        Assert.Single(fake, a => a.Dynamic);
    }

    [Fact]
    public async Task ExportActivities_CalledOutsideTemporal_FailureCarriesTypeAndAttempt()
    {
        using var store = new TempFolder();
        using var harness = new ExportHarness(ExportHarness.HandFixture, store.Path, new ExportFlowsOptions { ModelId = "mystery_model" });
        var job = new ExportFlows.Workflows.Contracts.ExportJob("subset-definitions", null, null, DateTimeOffset.UnixEpoch);

        var failure = await Assert.ThrowsAsync<Temporalio.Exceptions.ApplicationFailureException>(() => harness.Activities.RunAsync(ExportFlows.Workflows.Catalog.ExportCatalog.Shipped.Get("subset-definitions"), job));

        Assert.Equal(ExportErrorTypes.ContractViolation, failure.ErrorType);
        Assert.Contains("model 'mystery_model' has no public codename", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, failure.Details.ElementAt<int>(0));
        Assert.Contains(ExportErrorTypes.ContractViolation, ExportErrorTypes.NonRetryable);
        Assert.Empty(store.Files());
    }
}
