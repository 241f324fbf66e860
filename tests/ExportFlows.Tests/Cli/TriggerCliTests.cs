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
}
