using System.Text.Json;
using ExportFlows.Tests.PubSub;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Tests.Cli;

/// <summary><c>--json</c> on the verbs that talk to Temporal: standard output is one JSON document.</summary>
public sealed class JsonOutputServerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private static string Address => TemporalTestServer.Client.Connection.Options.TargetHost!;

    [TemporalSchedulesFact]
    public async Task SchedulesSync_DryRunJson_OneDocumentListingEveryScheduleOfTheCatalog()
    {
        var result = await CliRunner.RunAsync("schedules", "sync", "--dry-run", "--json", "--temporal", Address).Within();

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Output);
        Assert.True(doc.RootElement.GetProperty("dryRun").GetBoolean());
        var ids = doc.RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal(ExportCatalog.Shipped.Schedules.Select(e => e.Id), ids.Where(id => ExportCatalog.Shipped.Schedules.Any(e => e.Id == id)));
        Assert.All(doc.RootElement.GetProperty("changes").EnumerateArray(),
            c => Assert.Contains(c.GetProperty("action").GetString(), new[] { "create", "update", "unchanged", "delete" }));
    }

    [TemporalFact]
    public async Task SetupJson_RepeatedRun_EveryAttributeRegisteredOrAlreadyThere()
    {
        var result = await CliRunner.RunAsync("setup", "--json", "--temporal", Address).Within();

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Output);
        var names = doc.RootElement.GetProperty("added").EnumerateArray().Concat(doc.RootElement.GetProperty("alreadyRegistered").EnumerateArray())
            .Select(n => n.GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["ExportDate", "ExportTrigger", "ExportTypes"], names);
    }

    [TemporalFact]
    public async Task TriggerWaitJson_ExportedRun_OneDocumentWithTheRuns()
    {
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        var fake = new FakeExportActivities();
        using var worker = fake.TonightWorker(client, taskQueue);
        var date = UniqueGameDates.NextText();
        var message = _temp.Sub("message.json");
        await File.WriteAllTextAsync(message, PubSubPushEndpointTests.Phase5Message(date));

        var result = await worker.ExecuteAsync(() => CliRunner.RunAsync("trigger", "predictions-complete", "--message", message,
            "--temporal", Address, "--task-queue", taskQueue, "--wait", "--json")).Within(TimeSpan.FromSeconds(90));

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Output);
        Assert.Equal("phase6-tonight-" + date, doc.RootElement.GetProperty("workflowId").GetString());
        var run = Assert.Single(doc.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal("exported", run.GetProperty("status").GetString());
    }

    public void Dispose() => _temp.Dispose();
}
