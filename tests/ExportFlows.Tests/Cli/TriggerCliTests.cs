using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Cli;

public sealed class TriggerCliTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private async Task<string> MessageAsync(string json)
    {
        var path = _temp.Sub($"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, json);
        return path;
    }

    [Theory]
    [InlineData("{\"game_date\": \"2026-02-30\", \"status\": \"success\"}", "game_date '2026-02-30' is not a date YYYY-MM-DD")]
    [InlineData("{\"status\": \"success\"}", "game_date is missing")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"game_date\": \"2026-02-03\", \"status\": 1}", "status must be a string")]
    public async Task PredictionsComplete_MalformedMessage_ExitTwoBeforeConnecting(string json, string problem)
    {
        // The address is unreachable: a connection attempt would fail differently, so this proves nothing was started.
        var result = await CliRunner.RunAsync("trigger", "predictions-complete", "--message", await MessageAsync(json), "--temporal", "127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: malformed predictions-complete message: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task PredictionsComplete_ServerUnreachable_ExitFourSaysWhatToCheck()
    {
        var message = await MessageAsync("{\"game_date\": \"2026-02-03\", \"status\": \"success\", \"metadata\": {\"completion_pct\": 97}}");
        var result = await CliRunner.RunAsync("trigger", "predictions-complete", "--message", message, "--temporal", "127.0.0.1:1");

        Assert.Equal(4, result.ExitCode);
        Assert.StartsWith("error: cannot connect to Temporal at 127.0.0.1:1", result.Error, StringComparison.Ordinal);
        Assert.Contains("is the server running", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PredictionsComplete_NoAddress_ExitTwo()
    {
        var message = await MessageAsync("{\"game_date\": \"2026-02-03\", \"status\": \"success\"}");
        Environment.SetEnvironmentVariable("Temporal__Address", null);
        var result = await CliRunner.RunAsync("trigger", "predictions-complete", "--message", message);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: no Temporal address configured", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PredictionsComplete_MissingFile_ExitTwo()
    {
        var result = await CliRunner.RunAsync("trigger", "predictions-complete", "--message", _temp.Sub("none.json"), "--temporal", "127.0.0.1:1");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: cannot read message file", result.Error, StringComparison.Ordinal);
    }

    [TemporalFact]
    public async Task PredictionsComplete_OnTemporal_WorkflowReceivesTheFileBytesUnchanged()
    {
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        var date = UniqueGameDates.NextText();
        var published = File.ReadAllText(RepositoryFiles.PathOf("examples", "predictions-complete.json")).Replace("2026-02-03", date, StringComparison.Ordinal);
        var path = await MessageAsync(published);

        // No worker polls the task queue: the signal-with-start is recorded in the history all the same.
        var result = await CliRunner.RunAsync("trigger", "predictions-complete", "--message", path, "--temporal", client.Connection.Options.TargetHost!, "--task-queue", taskQueue).Within();

        Assert.True(result.ExitCode == 0, result.Error);
        var handle = client.GetWorkflowHandle("phase6-tonight-" + date);
        try
        {
            var history = await handle.FetchHistoryAsync().Within();
            var signal = history.Events.Select(e => e.WorkflowExecutionSignaledEventAttributes).Single(a => a is not null)!;
            var payload = Assert.Single(signal.Input.Payloads_);
            Assert.Equal(File.ReadAllBytes(path), payload.Data.ToByteArray());
            Assert.Equal("json/plain", payload.Metadata["encoding"].ToStringUtf8());
        }
        finally
        {
            await handle.TerminateAsync("test done").Within();
        }
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("export-request", "{\"export_types\": [\"mlb-best-bets\"], \"sport\": \"mlb\"}", "sport", "'mlb' has no rows in this catalog")]
    [InlineData("export-request", "{\"export_types\": [\"resultz\"]}", "export_types", "names 'resultz', which is no type or group")]
    [InlineData("grading-complete", "{\"status\": \"success\"}", "target_date", "target_date is missing")]
    [InlineData("grading-complete", "{\"target_date\": \"2026-02-03\", \"graded_count\": \"12\"}", "graded_count", "graded_count must be an integer")]
    public async Task Event_RefusedMessage_ExitTwoNamingTheFieldBeforeConnecting(string eventName, string json, string field, string problem)
    {
        var result = await CliRunner.RunAsync("trigger", eventName, "--message", await MessageAsync(json), "--temporal", "127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: {eventName} message refused: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
        Assert.Contains($"(field {field}); nothing was started", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_UnknownVerb_ExitTwoListingTheEvents()
    {
        var result = await CliRunner.RunAsync("trigger", "grading-completed", "--message", await MessageAsync("{}"), "--temporal", "127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'grading-completed' is no event of the catalog", result.Error, StringComparison.Ordinal);
        Assert.Contains("its events are predictions-complete, export-request, grading-complete; did you mean 'grading-complete'?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PredictionsComplete_CatalogWithoutEvents_StillServedUnderTheBuiltInVerb()
    {
        var catalog = CatalogFiles.Write(_temp, "no-events.toml", CatalogFiles.WithCalendar);
        var message = await MessageAsync("{\"game_date\": \"2026-02-03\", \"status\": \"success\", \"metadata\": {\"completion_pct\": 97}}");

        var served = await CliRunner.RunAsync("trigger", "predictions-complete", "--message", message, "--catalog", catalog, "--temporal", "127.0.0.1:1");
        var other = await CliRunner.RunAsync("trigger", "grading-complete", "--message", message, "--catalog", catalog, "--temporal", "127.0.0.1:1");

        // Read and sent: only the unreachable server stops it (exit 4), not the verb.
        Assert.Equal(4, served.ExitCode);
        Assert.StartsWith("error: cannot connect to Temporal at 127.0.0.1:1", served.Error, StringComparison.Ordinal);
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("its events are predictions-complete", other.Error, StringComparison.Ordinal);
    }

    [TemporalFact]
    public async Task Event_GradingCompleteWait_PrintsEachEntryWithWhatItDid()
    {
        var client = TemporalTestServer.Client;
        var date = UniqueGameDates.NextText();
        var path = await MessageAsync(File.ReadAllText(RepositoryFiles.PathOf("examples", "grading-complete.json"))
            .Replace("2026-02-03", date, StringComparison.Ordinal).Replace("\"graded_count\": 388", "\"graded_count\": 0", StringComparison.Ordinal));
        var native = new FakeExportActivities();
        var result = await ServerExportRun.WithWorkersAsync(native, new FakeExternalExporters(), q =>
            CliRunner.RunAsync("trigger", "grading-complete", "--message", path, "--wait", "--temporal", client.Connection.Options.TargetHost!, "--task-queue", q.Main));

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        Assert.Contains($"signalled phase6-event-grading-complete-{date} (run ", result.Output, StringComparison.Ordinal);
        Assert.Contains("run 1: exported; 1 message(s); export phase6-event-grading-complete-", result.Output, StringComparison.Ordinal);
        Assert.Contains("  subset-picks: skipped (skipped: condition graded_count > 0 is false (graded_count = 0))", result.Output, StringComparison.Ordinal);
        Assert.Contains("  best-bets-all: succeeded", result.Output, StringComparison.Ordinal);
        Assert.Equal(0, native.CallsOf("subset-picks"));
    }
}
