using System.Text.Json;
using ExportFlows.Tests.Catalog;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Worker;
using static ExportFlows.Tests.Support.ServerExportRun;

namespace ExportFlows.Tests.Orchestration;

/// <summary>
/// The export graph on a real server: a failing step, a chain that passes a version id, a soft and a hard dependent,
/// and an independent native row, in one run.
/// </summary>
public sealed class ExportGraphServerTests
{
    private static readonly ExportCatalog Catalog = CatalogText.Parse(GraphCatalogText.Valid).Catalog!;

    private static JsonElement Step(string type, object values) => JsonSerializer.SerializeToElement(new Dictionary<string, object?>
    {
        ["export_type"] = type,
        ["objects"] = Array.Empty<object>(),
        ["skipped_reason"] = null,
        ["values"] = values,
    });

    [TemporalFact]
    public async Task RunAsync_ChainWithFailingStep_OrderHoldsValueArrivesHardDependentNotRunOthersWritten()
    {
        var native = new FakeExportActivities { Catalog = Catalog, EnabledTypes = [.. Catalog.TypeNames] };
        var external = new FakeExternalExporters { Catalog = Catalog };
        external.Behaviour["discover"] = (_, _, _) =>
            throw new ApplicationFailureException("model registry unreachable", "WarehouseError", nonRetryable: true);
        external.Behaviour["materialize"] = (_, _, _) => Task.FromResult(Step("materialize", new { version_id = "v_20260210_180000" }));
        var id = $"phase6-export-graph-2026-02-10-{Guid.NewGuid():N}";

        var (failure, history) = await WithWorkersAsync(native, external, async q =>
        {
            var failed = await Assert.ThrowsAsync<WorkflowFailedException>(() => RunAsync(q, new ExportRequest(["best", "strict", "graded", "picks"], "2026-02-10"), id));
            return (failed, await q.Client.GetWorkflowHandle(id).FetchHistoryAsync().Within());
        });

        var report = FailedReport(failure);
        var byType = report.Exports.ToDictionary(e => e.Type);
        Assert.Equal(["discover", "materialize", "best", "strict", "graded", "picks"], report.Exports.Select(e => e.Type));
        Assert.Equal((ExportStatus.Failed, true), (byType["discover"].Status, byType["discover"].Step));
        Assert.Equal((ExportStatus.Succeeded, true), (byType["materialize"].Status, byType["materialize"].Step));
        Assert.Equal("v_20260210_180000", byType["materialize"].Values!["version_id"].GetString());
        Assert.Equal(ExportStatus.Succeeded, byType["best"].Status);
        Assert.Equal(ExportStatus.Succeeded, byType["strict"].Status);
        Assert.Equal((ExportStatus.NotRun, "not run: it requires discover, which failed (WarehouseError: model registry unreachable)"),
            (byType["graded"].Status, byType["graded"].Error));
        Assert.Equal((ExportStatus.Succeeded, "v1/picks/2026-02-10.json"), (byType["picks"].Status, byType["picks"].ObjectName));

        var calls = external.Calls.ToDictionary(c => c.Input.GetProperty("export_type").GetString()!, c => c.Input);
        Assert.DoesNotContain("graded", calls.Keys);
        Assert.False(calls["discover"].TryGetProperty("values", out _));
        Assert.Equal("v_20260210_180000", calls["best"].GetProperty("values").GetProperty("materialize").GetProperty("version_id").GetString());
        Assert.Equal("v_20260210_180000", calls["strict"].GetProperty("values").GetProperty("materialize").GetProperty("version_id").GetString());
        Assert.Equal(id, calls["best"].GetProperty("run").GetProperty("workflow_id").GetString());

        // A dependent is scheduled only after its dependencies ended; independent rows are scheduled at once.
        var scheduled = Scheduled(history);
        var ended = Ended(history, scheduled);
        Assert.True(scheduled["ExportMaterialize"] > ended["ExportDiscover"]);
        Assert.True(scheduled["ExportBest"] > ended["ExportMaterialize"]);
        Assert.True(scheduled["ExportStrict"] > ended["ExportMaterialize"]);
        Assert.True(scheduled["ExportPicks"] < ended["ExportDiscover"]);
        Assert.DoesNotContain(history.Events, e => e.EventType == EventType.WorkflowTaskFailed);

        // EXPORTFLOWS_RECORD_HISTORIES=DIR keeps the history for tests/histories (file name = workflow id).
        if (Environment.GetEnvironmentVariable("EXPORTFLOWS_RECORD_HISTORIES") is { Length: > 0 } folder)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, id + ".json"), history.ToJson());
        }
        var replayer = new WorkflowReplayer(new WorkflowReplayerOptions().AddWorkflow<Phase6ExportWorkflow>());
        var replay = await replayer.ReplayWorkflowAsync(history, throwOnReplayFailure: false);
        Assert.True(replay.ReplayFailure is null, $"{history.Id}: {replay.ReplayFailure}");
    }

    /// <summary>Activity type → event id of its ActivityTaskScheduled.</summary>
    private static Dictionary<string, long> Scheduled(WorkflowHistory history) => history.Events
        .Where(e => e.EventType == EventType.ActivityTaskScheduled)
        .ToDictionary(e => e.ActivityTaskScheduledEventAttributes.ActivityType.Name, e => e.EventId);

    /// <summary>Activity type → event id of its completion or failure.</summary>
    private static Dictionary<string, long> Ended(WorkflowHistory history, Dictionary<string, long> scheduled)
    {
        var byScheduledId = scheduled.ToDictionary(p => p.Value, p => p.Key);
        return history.Events.Select(e => (e.EventId, ScheduledId: ScheduledIdOf(e))).Where(x => x.ScheduledId is not null)
            .ToDictionary(x => byScheduledId[x.ScheduledId!.Value], x => x.EventId);
    }

    private static long? ScheduledIdOf(HistoryEvent e) => e.EventType switch
    {
        EventType.ActivityTaskCompleted => e.ActivityTaskCompletedEventAttributes.ScheduledEventId,
        EventType.ActivityTaskFailed => e.ActivityTaskFailedEventAttributes.ScheduledEventId,
        _ => null,
    };
}
