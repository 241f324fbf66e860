using ExportFlows.Activities;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Configuration;

namespace ExportFlows.Tests.Adapters;

/// <summary>The adoption settings as configuration binds them (the ExportFlows__* environment variables use the same keys).</summary>
public sealed class ExternalSettingsTests
{
    private static ExportFlowsOptions Bind(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(ExportFlowsOptions.Section).Get<ExportFlowsOptions>() ?? new ExportFlowsOptions();

    [Fact]
    public void ToConfiguration_Defaults_NativeTypesDefaultQueueTableScheduleToStart()
    {
        var configuration = new ExportFlowsOptions().ToConfiguration(ExportCatalog.Shipped);
        Assert.Equal(ExportCatalog.Shipped.NativeTypes, configuration.EnabledTypes);
        Assert.Equal((ExportConfiguration.DefaultExternalTaskQueue, (TimeSpan?)null), (configuration.ExternalTaskQueue, configuration.ExternalScheduleToStart));
        Assert.Equal("exportflows-python", configuration.ExternalTaskQueue);
    }

    [Fact]
    public void Bind_CommaSeparatedTypesQueueAndTimeout_ReachTheWorkflowConfiguration()
    {
        var options = Bind(new()
        {
            ["ExportFlows:EnabledTypes"] = "subset-all, results,trends-weekly",
            ["ExportFlows:ExternalTaskQueue"] = "python-exporters",
            ["ExportFlows:ExternalScheduleToStart"] = "00:00:30",
        });
        var configuration = options.ToConfiguration(ExportCatalog.Shipped);
        Assert.Equal(["subset-picks", "daily-signals", "subset-performance", "subset-definitions", "results", "trends-what-matters", "trends-team", "trends-quick-hits"],
            configuration.EnabledTypes);
        Assert.Equal(("python-exporters", (TimeSpan?)TimeSpan.FromSeconds(30)), (configuration.ExternalTaskQueue, configuration.ExternalScheduleToStart));
    }

    [Fact]
    public void EnabledTypeSet_Typo_ErrorNamesSettingAndType()
    {
        var error = Assert.Throws<InvalidExportRequestException>(() => Bind(new() { ["ExportFlows:EnabledTypes"] = "results,best-bet" }).EnabledTypeSet(ExportCatalog.Shipped));
        Assert.StartsWith("ExportFlows__EnabledTypes: unknown export type 'best-bet'", error.Message, StringComparison.Ordinal);
    }
}
