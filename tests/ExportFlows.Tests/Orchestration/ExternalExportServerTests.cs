using System.Text.Json;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;
using static ExportFlows.Tests.Support.ServerExportRun;

namespace ExportFlows.Tests.Orchestration;

/// <summary>
/// Native and external exporters in one workflow, on a server: the export workflow's worker on one task queue and a
/// stand-in for the original exporters' worker on the external queue, speaking the contract as raw JSON.
/// </summary>
public sealed class ExternalExportServerTests
{
    private static readonly string[] AllTypes = [.. ExportCatalog.Shipped.TypeNames];

    [TemporalFact]
    public async Task RunAsync_NativeAndExternalTypes_OneReportWithEveryObject()
    {
        var native = new FakeExportActivities { EnabledTypes = AllTypes };
        var external = new FakeExternalExporters();
        var players = Enumerable.Range(1, 240).Select(i => $"v1/tonight/player/player{i:000}.json").ToArray();
        external.Behaviour["tonight-players"] = (_, _, _) => Task.FromResult(FakeExternalExporters.Written("tonight-players", players));
        var id = $"export-{Guid.NewGuid():N}";

        var report = await WithWorkersAsync(native, external, q =>
            RunAsync(q, new ExportRequest(["results", "best-bets", "subset-picks", "tonight-players"], "2026-02-10", Trigger: "cli"), id));

        Assert.True(report.Succeeded, report.Summary());
        Assert.Equal(["results", "best-bets", "subset-picks", "tonight-players"], report.Exports.Select(e => e.Type));
        Assert.All(report.Exports, e => Assert.Equal(ExportStatus.Succeeded, e.Status));
        Assert.Equal(["v1/results/2026-02-10.json"], report.Exports[0].Objects!.Select(o => o.Name));
        Assert.Equal("v1/picks/2026-02-10.json", report.Exports[2].ObjectName);
        Assert.Equal((240, "v1/tonight/player/player001.json", 24000L), (report.Exports[3].ObjectCount, report.Exports[3].ObjectName, report.Exports[3].Bytes));
        Assert.Equal(1, native.CallsOf("subset-picks"));
        Assert.Equal(1, external.CallsOf("ExportResults"));
        Assert.Equal(1, external.CallsOf("ExportBestBets"));
        var input = external.Calls.Single(c => c.Activity == "ExportResults").Input;
        Assert.Equal(["export_type", "target_date", "update_latest", "requested_at", "correlation_id", "trigger", "options"],
            input.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("results", "2026-02-10", true, "cli", id), (input.GetProperty("export_type").GetString(), input.GetProperty("target_date").GetString(),
            input.GetProperty("update_latest").GetBoolean(), input.GetProperty("trigger").GetString(), input.GetProperty("correlation_id").GetString()));
        Assert.Equal("{}", input.GetProperty("options").GetRawText());
    }

    [TemporalFact]
    public async Task RunAsync_TypesNotEnabled_ReportedNotEnabledAndNeverStarted()
    {
        var native = new FakeExportActivities { EnabledTypes = [.. ExportCatalog.Shipped.NativeTypes] };
        var external = new FakeExternalExporters();

        var report = await WithWorkersAsync(native, external, q => RunAsync(q, new ExportRequest(["results", "subset-picks"], "2026-02-10")));

        Assert.Equal([ExportStatus.NotEnabled, ExportStatus.Succeeded], report.Exports.Select(e => e.Status));
        Assert.Empty(external.Calls);
        Assert.True(report.Succeeded);
    }

    [TemporalFact]
    public async Task RunAsync_ExternalNotReadyThenReady_RetriedPerTypeWhileOthersFinish()
    {
        var native = new FakeExportActivities { EnabledTypes = AllTypes };
        var external = new FakeExternalExporters();
        // live retries after 5 s (the shortest backoff of the table); results fails for good at once.
        external.Behaviour["live"] = (input, attempt, _) => attempt == 1
            ? throw new ApplicationFailureException("no box scores for 2026-02-10 yet", ExportErrorTypes.NotReady)
            : Task.FromResult(FakeExternalExporters.DefaultResult(input));
        external.Behaviour["results"] = (_, _, _) =>
            throw new ApplicationFailureException("table nba_predictions.prediction_accuracy not found", ExportErrorTypes.MissingTable);

        var failure = await Assert.ThrowsAsync<WorkflowFailedException>(() =>
            WithWorkersAsync(native, external, q => RunAsync(q, new ExportRequest(["live", "results", "daily-signals"], "2026-02-10"))));

        var report = FailedReport(failure);
        Assert.Equal([ExportStatus.Succeeded, ExportStatus.Failed, ExportStatus.Succeeded], report.Exports.Select(e => e.Status));
        Assert.Equal([1, 2], external.Calls.Where(c => c.Activity == "ExportLive").Select(c => c.Attempt));
        Assert.Equal([1], external.Calls.Where(c => c.Activity == "ExportResults").Select(c => c.Attempt));
        Assert.Equal((ExportErrorTypes.MissingTable, "table nba_predictions.prediction_accuracy not found"), (report.Exports[1].ErrorType, report.Exports[1].Error));
        Assert.Equal(["v1/live/2026-02-10.json"], report.Exports[0].Objects!.Select(o => o.Name));
    }

    [TemporalFact]
    public async Task RunAsync_NoExternalWorker_ScheduleToStartFailureNamesQueueWhileNativeWritten()
    {
        var native = new FakeExportActivities { EnabledTypes = AllTypes, ExternalScheduleToStart = TimeSpan.FromSeconds(2) };
        string queue = "";

        var failure = await Assert.ThrowsAsync<WorkflowFailedException>(() => WithWorkersAsync(native, external: null, q =>
        {
            queue = q.External;
            return RunAsync(q, new ExportRequest(["results", "best-bets", "subset-picks"], "2026-02-10"));
        }));

        var report = FailedReport(failure);
        Assert.Equal([ExportStatus.Failed, ExportStatus.Failed, ExportStatus.Succeeded], report.Exports.Select(e => e.Status));
        Assert.Equal(1, native.CallsOf("subset-picks"));
        Assert.Equal("v1/picks/2026-02-10.json", report.Exports[2].ObjectName);
        foreach (var (outcome, activity) in report.Exports.Take(2).Zip(["ExportResults", "ExportBestBets"]))
        {
            Assert.Equal(ExportErrorTypes.NoExternalWorker, outcome.ErrorType);
            Assert.Equal(0, outcome.Attempts); // no worker took it: no attempt ran
            Assert.Equal(ExportLane.NoWorkerMessage(activity, queue, TimeSpan.FromSeconds(2)), outcome.Error);
            Assert.Contains($"task queue '{queue}'", outcome.Error, StringComparison.Ordinal);
        }
    }

    [TemporalFact]
    public async Task RunAsync_ExternalWorkerStopsHeartbeating_HeartbeatTimeoutThenRetried()
    {
        var native = new FakeExportActivities { EnabledTypes = AllTypes };
        var external = new FakeExternalExporters();
        var secondAttempt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        external.Behaviour["live"] = async (input, attempt, context) =>
        {
            if (attempt == 1)
            {
                // A worker that died mid-export: no heartbeat, no answer, until the server has given the task to attempt 2.
                await secondAttempt.Task.WaitAsync(context.CancellationToken).Within(TimeSpan.FromSeconds(80));
                throw new ApplicationFailureException("attempt 1 was given up by the server");
            }
            secondAttempt.TrySetResult();
            return FakeExternalExporters.DefaultResult(input);
        };

        var report = await WithWorkersAsync(native, external, q => RunAsync(q, new ExportRequest(["live"], "2026-02-10")));

        Assert.True(report.Succeeded, report.Summary());
        Assert.Equal([1, 2], external.Calls.Select(c => c.Attempt));
        // The retry came after the 30 s heartbeat timeout of live, long before its 90 s start-to-close.
        Assert.InRange(report.Exports[0].DurationSeconds, 30, 80);
    }

    [TemporalFact]
    public async Task Tonight_EveryTypeEnabled_ExportsTheOrchestratorsFullListAllAtOnce()
    {
        // Every type a deployment can enable: all but the legacy best-bets, which signal-best-bets replaces (never both).
        var enabled = ExportPlanner.EnabledTypes(ExportCatalog.Shipped, string.Join(",", AllTypes.Where(t => t != "best-bets")));
        var list = ExportCatalog.Shipped.Orchestrator.Where(enabled.Contains).ToList();
        Assert.Equal(14, list.Count);
        string[] steps = ["discover-models", "materialize-subsets", "cross-model-subsets", "annotate-signals"];
        var native = new FakeExportActivities { EnabledTypes = [.. enabled] };
        var external = new FakeExternalExporters();
        var date = UniqueGameDates.Next();
        var day = ExportDates.ToText(date);
        var message = $$$"""{"game_date": "{{{day}}}", "status": "success", "correlation_id": "corr-{{{day}}}", "metadata": {"completion_pct": 100}}""";
        // Every one of the fourteen exports waits until all fourteen run: the run completes only if native and external ones
        // overlap, and signal best bets starts after its four steps while the others are still running.
        var running = 0;
        var allRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task Barrier()
        {
            if (Interlocked.Increment(ref running) == list.Count)
            {
                allRunning.TrySetResult();
            }
            await allRunning.Task.Within();
        }
        foreach (var type in list)
        {
            if (ExportCatalog.Shipped.IsExternal(type))
            {
                external.Behaviour[type] = async (input, _, _) => { await Barrier(); return FakeExternalExporters.DefaultResult(input); };
            }
            else
            {
                native.Behaviour[type] = async (job, attempt) => { await Barrier(); return FakeExportActivities.Written(job, attempt); };
            }
        }

        var (result, types) = await WithWorkersAsync(native, external, async q =>
        {
            var options = new WorkflowOptions(TonightWorkflowIds.For(date), q.Main);
            options.SignalWithStart(Phase6TonightWorkflow.SignalName, [JsonDocument.Parse(message).RootElement]);
            var handle = await q.Client.StartWorkflowAsync("Phase6TonightWorkflow", [], options).Within();
            var result = await handle.GetResultAsync<TonightResult>().Within(TimeSpan.FromSeconds(80));
            var description = await handle.DescribeAsync().Within();
            return (result, description.TypedSearchAttributes.Get(ExportSearchAttributes.ExportTypes));
        });

        var run = Assert.Single(result.Runs);
        Assert.Equal(MessageRunStatus.Exported, run.Status);
        Assert.Equal(["tonight", "tonight-players", "predictions", "streaks", "subset-picks", "season-subsets", "daily-signals", .. steps, "signal-best-bets",
            "calendar", "best-bets-all", "best-bets-today", "admin-dashboard", "admin-picks", "trends-tonight"], run.Report!.Exports.Select(e => e.Type));
        Assert.All(run.Report.Exports, e => Assert.Equal(ExportStatus.Succeeded, e.Status));
        Assert.Equal(list, types);
        Assert.Equal(["ExportAdminDashboard", "ExportAdminPicks", "ExportAnnotateSignals", "ExportBestBetsAll", "ExportBestBetsToday", "ExportCalendar",
            "ExportCrossModelSubsets", "ExportDiscoverModels", "ExportMaterializeSubsets", "ExportPredictions", "ExportSeasonSubsets", "ExportSignalBestBets",
            "ExportStreaks", "ExportTonight", "ExportTonightPlayers", "ExportTrendsTonight"], external.Calls.Select(c => c.Activity).Order(StringComparer.Ordinal));
        Assert.All(external.Calls, c => Assert.Equal(("orchestrator", $"corr-{day}", day),
            (c.Input.GetProperty("trigger").GetString(), c.Input.GetProperty("correlation_id").GetString(), c.Input.GetProperty("target_date").GetString())));
        Assert.Equal((1, 1), (native.CallsOf("subset-picks"), native.CallsOf("daily-signals")));
    }

    [TemporalFact]
    public async Task Tonight_NativeTypesEnabled_ExportsOnlyTheEnabledPartOfTheList()
    {
        var native = new FakeExportActivities { EnabledTypes = [.. ExportCatalog.Shipped.NativeTypes] };
        var external = new FakeExternalExporters();
        var date = UniqueGameDates.Next();
        var message = $$$"""{"game_date": "{{{ExportDates.ToText(date)}}}", "status": "success", "metadata": {"completion_pct": 100}}""";

        var result = await WithWorkersAsync(native, external, async q =>
        {
            var options = new WorkflowOptions(TonightWorkflowIds.For(date), q.Main);
            options.SignalWithStart(Phase6TonightWorkflow.SignalName, [JsonDocument.Parse(message).RootElement]);
            var handle = await q.Client.StartWorkflowAsync("Phase6TonightWorkflow", [], options).Within();
            return await handle.GetResultAsync<TonightResult>().Within();
        });

        Assert.Equal(["subset-picks", "daily-signals"], Assert.Single(result.Runs).Report!.Exports.Select(e => e.Type));
        Assert.Empty(external.Calls);
    }

    /// <summary>
    /// Servers with the Schedules API predefine TemporalScheduledStartTime (the call is then refused or "already exists");
    /// a test server without it gets it registered, so the start below carries it everywhere.
    /// </summary>
    private static async Task EnsureScheduledStartTimeAttributeAsync()
    {
        var client = TemporalTestServer.Client;
        var request = new Temporalio.Api.OperatorService.V1.AddSearchAttributesRequest { Namespace = client.Options.Namespace };
        request.SearchAttributes.Add(Phase6ExportWorkflow.ScheduledStartTime.Name, Phase6ExportWorkflow.ScheduledStartTime.ValueType);
        try
        {
            await client.Connection.OperatorService.AddSearchAttributesAsync(request).Within();
        }
        catch (RpcException)
        {
            // Predefined (or reserved) on this server: nothing to register.
        }
    }

    [TemporalFact]
    public async Task RunAsync_StartedWithScheduledStartTimeOfDailyResults_ExportsYesterdayOfTheScheduledTime()
    {
        var native = new FakeExportActivities { EnabledTypes = AllTypes };
        var external = new FakeExternalExporters();
        var entry = ExportCatalog.Shipped.Schedules.Single(e => e.Id == "phase6-daily-results");
        var scheduled = new DateTimeOffset(2026, 2, 11, 10, 0, 0, TimeSpan.Zero); // 5 AM EST
        var id = $"phase6-daily-results-{Guid.NewGuid():N}";
        await EnsureScheduledStartTimeAttributeAsync();

        var (report, carried, clock) = await WithWorkersAsync(native, external, async q =>
        {
            var request = entry.Request;
            WorkflowHandle<Phase6ExportWorkflow, ExportReport> handle;
            try
            {
                handle = await q.Client.StartWorkflowAsync((Phase6ExportWorkflow wf) => wf.RunAsync(request), new WorkflowOptions(id, q.Main)
                {
                    TypedSearchAttributes = new SearchAttributeCollection.Builder().Set(Phase6ExportWorkflow.ScheduledStartTime, scheduled).ToSearchAttributeCollection(),
                }).Within();
            }
            catch (RpcException ex) when (ex.Code is RpcException.StatusCode.InvalidArgument or RpcException.StatusCode.PermissionDenied or RpcException.StatusCode.FailedPrecondition)
            {
                // This server lets only its scheduler set the system attribute (or does not know it): the same run without it.
                handle = await q.Client.StartWorkflowAsync((Phase6ExportWorkflow wf) => wf.RunAsync(request), new WorkflowOptions(id, q.Main)).Within();
            }
            var result = await handle.GetResultAsync().Within(TimeSpan.FromSeconds(80));
            var events = (await handle.FetchHistoryAsync().Within()).Events.ToList();
            var fields = events[0].WorkflowExecutionStartedEventAttributes.SearchAttributes?.IndexedFields;
            return (result, fields?.ContainsKey(Phase6ExportWorkflow.ScheduledStartTime.Name) == true,
                new[] { events[0].EventTime.ToDateTimeOffset(), events[^1].EventTime.ToDateTimeOffset() });
        });

        // With the attribute in the run's start event, "yesterday" is of the scheduled time. A server that refused or dropped
        // it (the time-skipping test server may) leaves the run to its own clock: yesterday of when it ran, never a date of
        // the scheduled time's; that the scheduled time wins is then checked on the planner the workflow calls.
        string[] expected = carried ? ["2026-02-10"] : [.. clock.Select(t => ExportDates.ToText(ExportDates.EasternDate(t).AddDays(-1))).Distinct()];
        if (!carried)
        {
            Assert.Equal(new DateOnly(2026, 2, 10), ExportPlanner.Plan(ExportCatalog.Shipped, entry.Request, DateTimeOffset.UtcNow, datesAt: scheduled).TargetDate);
        }
        Assert.Contains(report.TargetDate, expected);
        Assert.Equal(["results", "performance", "best-bets", "predictions", "admin-dashboard", "admin-picks", "subset-definitions"], report.Exports.Select(e => e.Type));
        Assert.True(report.Succeeded, report.Summary());
        Assert.Equal(6, external.Calls.Count);
        Assert.All(external.Calls, c => Assert.Equal((report.TargetDate, "schedule"), (c.Input.GetProperty("target_date").GetString(), c.Input.GetProperty("trigger").GetString())));
        // generated_at / requested_at is the run's clock, not the scheduled time.
        Assert.All(external.Calls, c => Assert.NotEqual("2026-02-11T10:00:00.000000+00:00", c.Input.GetProperty("requested_at").GetString()));
    }
}
