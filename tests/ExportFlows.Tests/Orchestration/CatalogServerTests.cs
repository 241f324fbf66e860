using System.Text.Json;
using ExportFlows.Tests.Catalog;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Api.Enums.V1;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Worker;
using static ExportFlows.Tests.Support.ServerExportRun;

namespace ExportFlows.Tests.Orchestration;

/// <summary>
/// The catalog a worker reports decides, on a server, which types exist and where each runs; a bad answer from a worker
/// in another language fails its export only, never a workflow task.
/// </summary>
public sealed class CatalogServerTests
{
    private const string SubsetPicksNativeRow = "[types.subset-picks]\nkind = \"native\"\nimplementation = \"subset-picks\"\n";

    private static async Task<WorkflowHistory> HistoryAsync(ServerQueues queues, string id) =>
        await queues.Client.GetWorkflowHandle(id).FetchHistoryAsync().Within();

    private static async Task AssertReplaysAsync(WorkflowHistory history)
    {
        var replayer = new WorkflowReplayer(new WorkflowReplayerOptions().AddWorkflow<Phase6ExportWorkflow>());
        var result = await replayer.ReplayWorkflowAsync(history, throwOnReplayFailure: false);
        Assert.True(result.ReplayFailure is null, $"{history.Id}: {result.ReplayFailure}");
    }

    [TemporalFact]
    public async Task RunAsync_TypeAddedToTheWorkersCatalog_ExportedOnTheExternalQueueAndReportedWithTheFingerprint()
    {
        // The worker's catalog: the first shipped one (no calendar row) with the row added, not the catalog built in now.
        var catalog = CatalogText.ShippedWithNewTypes;
        Assert.Null(ExportCatalogParser.ParseOrThrow(CatalogFiles.FirstShipped, "exportflows-570aefc.toml", ExportFlows.Activities.Exporters.NativeExporters.Names).Find("calendar"));
        Assert.NotEqual(ExportCatalog.Shipped.Fingerprint, catalog.Fingerprint);
        var native = new FakeExportActivities { Catalog = catalog, EnabledTypes = [.. catalog.TypeNames] };
        var external = new FakeExternalExporters { Catalog = catalog };
        var id = $"export-{Guid.NewGuid():N}";

        var (report, history) = await WithWorkersAsync(native, external, async q =>
            (await RunAsync(q, new ExportRequest(["calendar", "subset-picks"], "2026-02-10", Trigger: "cli"), id), await HistoryAsync(q, id)));

        Assert.True(report.Succeeded, report.Summary());
        Assert.Equal(catalog.Fingerprint, report.Catalog);
        Assert.Equal(["calendar", "subset-picks"], report.Exports.Select(e => e.Type));
        Assert.Equal(["v1/calendar/game-counts.json"], report.Exports[0].Objects!.Select(o => o.Name));
        Assert.Equal("v1/picks/2026-02-10.json", report.Exports[1].ObjectName);
        var call = Assert.Single(external.Calls);
        Assert.Equal(("ExportCalendar", "calendar", "2026-02-10", "{}"), (call.Activity, call.Input.GetProperty("export_type").GetString(),
            call.Input.GetProperty("target_date").GetString(), call.Input.GetProperty("options").GetRawText()));
        Assert.Equal(1, native.CallsOf("subset-picks"));
        await AssertReplaysAsync(history);
    }

    [TemporalFact]
    public async Task RunAsync_NativeTypeRoutedExternalByItsRow_RunsOnTheExternalQueueNotTheDotNetWorker()
    {
        var text = ExportCatalog.ShippedText();
        Assert.Contains(SubsetPicksNativeRow, text, StringComparison.Ordinal);
        var catalog = ExportCatalogParser.ParseOrThrow(text.Replace(SubsetPicksNativeRow, "[types.subset-picks]\nkind = \"external\"\n" +
            "call = { module = \"data_processors.publishing.subset_picks_exporter\", class = \"SubsetPicksExporter\", method = \"export\", args = [\"target_date\"] }\n",
            StringComparison.Ordinal), "subset-picks-external.toml", ExportFlows.Activities.Exporters.NativeExporters.Names);
        var native = new FakeExportActivities { Catalog = catalog, EnabledTypes = [.. catalog.TypeNames] };
        var external = new FakeExternalExporters { Catalog = catalog };
        var id = $"export-{Guid.NewGuid():N}";

        var (report, history, queue) = await WithWorkersAsync(native, external, async q =>
            (await RunAsync(q, new ExportRequest(["subset-picks", "daily-signals"], "2026-02-10"), id), await HistoryAsync(q, id), q.External));

        Assert.True(report.Succeeded, report.Summary());
        Assert.Equal(("v1/picks/2026-02-10.json", "v1/signals/2026-02-10.json"), (report.Exports[0].ObjectName, report.Exports[1].ObjectName));
        Assert.Equal(["ExportSubsetPicks"], external.Calls.Select(c => c.Activity));
        Assert.Equal((0, 1), (native.CallsOf("subset-picks"), native.CallsOf("daily-signals")));
        var scheduled = history.Events.Where(e => e.EventType == EventType.ActivityTaskScheduled)
            .ToDictionary(e => e.ActivityTaskScheduledEventAttributes.ActivityType.Name, e => e.ActivityTaskScheduledEventAttributes.TaskQueue.Name);
        Assert.Equal(queue, scheduled["ExportSubsetPicks"]);
        Assert.NotEqual(queue, scheduled["ExportDailySignals"]);
    }

    [TemporalFact]
    public async Task RunAsync_MalformedExternalAnswers_EachExportFailsByNameAndNoWorkflowTaskFails()
    {
        var native = new FakeExportActivities { EnabledTypes = [.. ExportCatalog.Shipped.TypeNames] };
        var external = new FakeExternalExporters();
        external.Behaviour["results"] = (_, _, _) => Task.FromResult(JsonSerializer.SerializeToElement("gs://nba-props-platform-api/v1/results/2026-02-10.json"));
        external.Behaviour["best-bets"] = (_, _, _) => Task.FromResult(JsonDocument.Parse(
            """{"export_type":"best-bets","objects":[{"name":"v1/best-bets/2026-02-10.json","bytes":"many","generation":null}],"skipped_reason":null}""").RootElement.Clone());
        external.Behaviour["live"] = (_, _, _) => Task.FromResult(JsonDocument.Parse(
            """{"export_type":"live","objects":[{"name":"v1/../../etc/passwd","bytes":null,"generation":null}],"skipped_reason":null}""").RootElement.Clone());
        // Python's json.dumps writes a lone surrogate of a str as this escape; .NET parses it, and throws when it is read.
        external.RawAnswers["predictions"] = """{"export_type":"predictions","objects":[{"name":"v1/predictions/\ud800.json","bytes":null,"generation":null}],"skipped_reason":null}""";
        var id = $"export-{Guid.NewGuid():N}";

        var (failure, history, queue) = await WithWorkersAsync(native, external, async q =>
        {
            var failure = await Assert.ThrowsAsync<WorkflowFailedException>(() =>
                RunAsync(q, new ExportRequest(["results", "best-bets", "live", "predictions", "subset-picks"], "2026-02-10"), id));
            return (failure, await HistoryAsync(q, id), q.External);
        });

        var report = FailedReport(failure);
        Assert.Equal([ExportStatus.Failed, ExportStatus.Failed, ExportStatus.Failed, ExportStatus.Failed, ExportStatus.Succeeded], report.Exports.Select(e => e.Status));
        string[] problems = ["the result is a JSON string", "objects[0]: bytes: expected a non-negative integer", "has an empty, '.' or '..' segment", "a string that is not valid text"];
        foreach (var (outcome, problem) in report.Exports.Take(4).Zip(problems))
        {
            Assert.Equal(ExportErrorTypes.ContractViolation, outcome.ErrorType);
            Assert.Contains($"the worker on task queue '{queue}' answered", outcome.Error, StringComparison.Ordinal);
            Assert.Contains(problem, outcome.Error, StringComparison.Ordinal);
        }
        Assert.Equal([1, 1, 1, 1], new[] { "ExportResults", "ExportBestBets", "ExportLive", "ExportPredictions" }.Select(external.CallsOf));
        Assert.DoesNotContain(history.Events, e => e.EventType == EventType.WorkflowTaskFailed);
        Assert.Equal(EventType.WorkflowExecutionFailed, history.Events.Last().EventType);
        await AssertReplaysAsync(history);
    }
}
