using System.Reflection;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Orchestration;
using Temporalio.Workflows;

namespace ExportFlows.Tests.Hygiene;

/// <summary>Workflow code is told apart by its file name (*.workflow.cs, where .editorconfig applies the SDK's guidance) and stays deterministic.</summary>
public sealed class WorkflowFileTests
{
    private static readonly string[] Forbidden = ["Task.Run(", "Task.Delay(", "Task.WhenAll(", "Task.WhenAny(", "DateTime.Now", "DateTime.UtcNow", "DateTimeOffset.Now",
        "DateTimeOffset.UtcNow", "ConfigureAwait(false)", "Guid.NewGuid(", "new Random("];

    private static IEnumerable<string> WorkflowFiles() =>
        Directory.GetFiles(RepositoryFiles.PathOf("src"), "*.workflow.cs", SearchOption.AllDirectories);

    [Fact]
    public void WorkflowClasses_EachInAFileNamedAfterIt()
    {
        var workflows = typeof(ExportWorkflows).Assembly.GetTypes().Where(t => t.GetCustomAttribute<WorkflowAttribute>() is not null).Select(t => t.Name).Order().ToList();

        Assert.Equal(ExportWorkflows.All.Select(t => t.Name).Order(), workflows);
        Assert.Equal(workflows.Select(w => w + ".workflow.cs"), WorkflowFiles().Select(Path.GetFileName).Order());
    }

    [Fact]
    public void WorkflowFiles_NoNondeterministicApi() =>
        Assert.All(WorkflowFiles(), file =>
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(Forbidden, api => text.Contains(api, StringComparison.Ordinal));
        });
}
