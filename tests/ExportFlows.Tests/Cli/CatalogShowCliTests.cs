using System.Text.Json;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Cli;
using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Tests.Cli;

/// <summary><c>exportflows catalog show [--json]</c>: the effective catalog, every row's facts as the file and the configuration make them.</summary>
public sealed class CatalogShowCliTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Show_ShippedCatalog_EveryEventWithPathVerbDateFieldsAndRuns()
    {
        var result = await CliRunner.RunAsync("catalog", "show");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("\nevents\n  predictions-complete  POST /pubsub/predictions-complete; exportflows trigger predictions-complete\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("    runs      the types the message lists in export_types\n    flag      players = true runs player-profiles (options min_games)\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("  grading-complete  POST /pubsub/grading-complete; exportflows trigger grading-complete\n    date      target_date or graded_date, required\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("    runs      subset-picks when status == \"success\" and graded_count > 0\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("              compute-signal-health after backfill-signal-best-bets, backfill-filtered-picks\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowJson_ShippedCatalog_EventsWithTheirConditionsAndOrder()
    {
        var result = await CliRunner.RunAsync("catalog", "show", "--json");

        var events = JsonDocument.Parse(result.Output).RootElement.GetProperty("events").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal(["predictions-complete", "export-request", "grading-complete"], events.Keys);
        var request = events["export-request"];
        Assert.Equal(("/pubsub/export-request", "export_types", "nba", "yesterday"), (request.GetProperty("path").GetString(), request.GetProperty("runsFrom").GetString(),
            request.GetProperty("sport").GetString(), request.GetProperty("date").GetProperty("default").GetString()));
        Assert.True(request.GetProperty("fields").GetProperty("update_latest").GetProperty("default").GetBoolean());
        var picks = events["grading-complete"].GetProperty("runs")[0];
        Assert.Equal("subset-picks", picks.GetProperty("row").GetString());
        var condition = picks.GetProperty("when")[1];
        Assert.Equal(("graded_count", "above", 0), (condition.GetProperty("field").GetString(), condition.GetProperty("operator").GetString(), condition.GetProperty("operands")[0].GetInt32()));
        var record = events["grading-complete"].GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("row").GetString() == "best-bets-record");
        Assert.Equal(6, record.GetProperty("after").GetArrayLength());
        Assert.True(events["predictions-complete"].GetProperty("runsOrchestrator").GetBoolean());
    }

    [Fact]
    public async Task ShowJson_ShippedCatalog_EveryTypeGroupScheduleAndName()
    {
        var result = await CliRunner.RunAsync("catalog", "show", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        var root = doc.RootElement;
        Assert.Equal(ExportCatalog.ShippedSource, root.GetProperty("source").GetString());
        Assert.Equal(ExportCatalog.Shipped.Fingerprint, root.GetProperty("fingerprint").GetString());
        var types = root.GetProperty("types").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(ExportCatalog.Shipped.TypeNames, types.Keys);
        Assert.Equal(["trends-hot-cold", "trends-bounce-back", "tonight-trend-plays", "trends-tonight"], root.GetProperty("groups").GetProperty("trends-daily").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(ExportCatalog.Shipped.Orchestrator, root.GetProperty("orchestrator").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("926A", root.GetProperty("publication").GetProperty("models").GetProperty("catboost_v9").GetString());
        var premium = root.GetProperty("publication").GetProperty("subsets").GetProperty("v9_premium_safe");
        Assert.Equal((8, "Premium", "Premium selection"), (premium.GetProperty("id").GetInt32(), premium.GetProperty("name").GetString(), premium.GetProperty("description").GetString()));

        var picks = types["subset-picks"];
        Assert.Equal(("native", "subset-picks", "exportflows", true), (picks.GetProperty("kind").GetString(), picks.GetProperty("implementation").GetString(),
            picks.GetProperty("taskQueue").GetString(), picks.GetProperty("enabled").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, picks.GetProperty("call").ValueKind);
        Assert.True(types["subset-performance"].GetProperty("skipWhenInputsUnchanged").GetBoolean());
        Assert.Equal("as-of", types["subset-performance"].GetProperty("date").GetString());
        var minGames = types["player-profiles"].GetProperty("options").GetProperty("min_games");
        Assert.Equal((5, 1, 82), (minGames.GetProperty("default").GetInt32(), minGames.GetProperty("minimum").GetInt32(), minGames.GetProperty("maximum").GetInt32()));
    }

    [Fact]
    public async Task ShowJson_ResultsRow_ValuesAsTheFileWritesThem()
    {
        using var doc = JsonDocument.Parse((await CliRunner.RunAsync("catalog", "show", "--json")).Output);
        var results = doc.RootElement.GetProperty("types").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "results");

        Assert.Equal(("external", "target", "ExportResults", "exportflows-python", false, false),
            (results.GetProperty("kind").GetString(), results.GetProperty("date").GetString(), results.GetProperty("activity").GetString(),
             results.GetProperty("taskQueue").GetString(), results.GetProperty("enabled").GetBoolean(), results.GetProperty("preflight").GetBoolean()));
        Assert.Equal(["v1/results/{date}.json|public, max-age=86400", "v1/results/latest.json|public, max-age=300"],
            results.GetProperty("objects").EnumerateArray().Select(o => $"{o.GetProperty("path").GetString()}|{o.GetProperty("cacheControl").GetString()}"));
        var policy = results.GetProperty("policy");
        Assert.Equal(("5m", "30m", "5m", "1m"), (policy.GetProperty("startToClose").GetString(), policy.GetProperty("scheduleToClose").GetString(),
            policy.GetProperty("scheduleToStart").GetString(), policy.GetProperty("heartbeat").GetString()));
        var retry = policy.GetProperty("retry");
        Assert.Equal(("10s", 2.0, "2m", 0), (retry.GetProperty("initialInterval").GetString(), retry.GetProperty("backoff").GetDouble(),
            retry.GetProperty("maximumInterval").GetString(), retry.GetProperty("maximumAttempts").GetInt32()));
        Assert.Equal("start-to-close 5m, schedule-to-close 30m, schedule-to-start 5m, heartbeat 1m; retry 10s ×2 up to 2m, attempts unlimited", policy.GetProperty("text").GetString());
        var call = results.GetProperty("call");
        Assert.Equal(("data_processors.publishing.results_exporter", "ResultsExporter", "export"),
            (call.GetProperty("module").GetString(), call.GetProperty("class").GetString(), call.GetProperty("method").GetString()));
        Assert.Equal("target_date", call.GetProperty("args")[0].GetProperty("value").GetString());
        Assert.Equal("update_latest", call.GetProperty("kwargs").GetProperty("update_latest").GetProperty("value").GetString());
        Assert.Equal("ResultsExporter().export(target_date, update_latest=update_latest)", call.GetProperty("python").GetString());
    }

    [Fact]
    public async Task ShowJson_Schedules_CalendarInWordsAndAsSpec()
    {
        using var doc = JsonDocument.Parse((await CliRunner.RunAsync("catalog", "show", "--json")).Output);
        var schedules = doc.RootElement.GetProperty("schedules").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);

        Assert.Equal(ExportCatalog.Shipped.Schedules.Select(s => s.Id), schedules.Keys);
        var live = schedules["phase6-live-evening"];
        Assert.Equal(("every 3 min 19:00–23:57 ET", 3, "skip", "3m", "today"), (live.GetProperty("when").GetString(), live.GetProperty("calendar").GetProperty("minuteStep").GetInt32(),
            live.GetProperty("overlap").GetString(), live.GetProperty("catchupWindow").GetString(), live.GetProperty("date").GetString()));
        Assert.Equal([19, 20, 21, 22, 23], live.GetProperty("calendar").GetProperty("hours").EnumerateArray().Select(h => h.GetInt32()));
        var profiles = schedules["phase6-player-profiles"];
        Assert.Equal(("Sunday 6:00 ET", "sunday", 5), (profiles.GetProperty("when").GetString(),
            profiles.GetProperty("calendar").GetProperty("daysOfWeek")[0].GetString(), profiles.GetProperty("options").GetProperty("min_games").GetInt32()));
        Assert.Equal(["player-profiles"], profiles.GetProperty("exports").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ShowText_NewRowWithConstants_CallAsTheOriginalWritesIt()
    {
        var text = CatalogFiles.WithCalendar + """

            [types.signal-health]
            kind = "external"
            date = "target"
            task_queue = "exportflows-python-health"
            objects = [{ path = "v1/systems/signal-health.json", cache_control = "public, max-age=300" }]
            policy = "one-document"
            call = { module = "data_processors.publishing.signal_health_exporter", class = "SignalHealthExporter", constructor = { verbose = false }, method = "export", args = ["target_date"], kwargs = { label = { const = "target_date" }, sizes = [1, 2] } }
            """;
        var file = CatalogFiles.Write(_temp, "new-rows.toml", text);

        var result = await CliRunner.RunAsync("catalog", "show", "--catalog", file);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var lines = result.Output.Split('\n');
        var calendar = Array.IndexOf(lines, "  calendar  external, date none, not enabled");
        Assert.True(calendar > 0, result.Output);
        Assert.Equal("    activity  ExportCalendar on task queue exportflows-python (default)", lines[calendar + 1]);
        Assert.Equal("    call      data_processors.publishing.calendar_exporter: CalendarExporter().export(days_back=30)", lines[calendar + 2]);
        Assert.Equal("    objects   v1/calendar/game-counts.json  \"public, max-age=1800\"", lines[calendar + 3]);
        Assert.Contains("    activity  ExportSignalHealth on task queue exportflows-python-health\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("    call      data_processors.publishing.signal_health_exporter: SignalHealthExporter(verbose=False).export(target_date, label='target_date', sizes=[1, 2])\n",
            result.Output, StringComparison.Ordinal);
        Assert.Contains("  phase6-calendar  daily 4:30 ET: calendar\n    overlap skip; catch-up 1h\n", result.Output, StringComparison.Ordinal);
        Assert.StartsWith($"catalog {file}\n  fingerprint {ExportCatalogParser.Fingerprint(text)}; 23 types (4 native, 19 external)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowJson_ConstantArguments_MarkedConstWithTheirValues()
    {
        var file = CatalogFiles.Write(_temp, "calendar.toml", CatalogFiles.WithCalendar);

        using var doc = JsonDocument.Parse((await CliRunner.RunAsync("catalog", "show", "--json", "--catalog", file)).Output);

        var call = doc.RootElement.GetProperty("types").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "calendar").GetProperty("call");
        Assert.Equal(30, call.GetProperty("kwargs").GetProperty("days_back").GetProperty("const").GetInt32());
        Assert.False(call.GetProperty("kwargs").GetProperty("days_back").TryGetProperty("value", out _));
        Assert.Equal(0, call.GetProperty("args").GetArrayLength());
    }

    [Fact]
    public async Task Show_InvalidCatalog_EveryErrorExitTwo()
    {
        var text = CatalogFiles.ShippedWith(("kind = \"native\"", "kind = \"nativ\""));
        var file = CatalogFiles.Write(_temp, "bad.toml", text);

        var result = await CliRunner.RunAsync("catalog", "show", "--catalog", file);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith($"{file}:{CatalogFiles.LineOf(text, "\"nativ\"")}: types.subset-picks.kind: 'nativ' is not a kind", result.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
