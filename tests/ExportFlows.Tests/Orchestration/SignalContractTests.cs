using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Workflows;

namespace ExportFlows.Tests.Orchestration;

/// <summary>
/// The tonight workflow's signal contract as clients in other languages meet it: the shapes the examples send, the
/// workflow's names, and how the game date is decided.
/// </summary>
public sealed partial class SignalContractTests
{
    private static readonly WorkflowDefinition Tonight = WorkflowDefinition.Create(typeof(Phase6TonightWorkflow));

    private static string ExampleMessage => File.ReadAllText(RepositoryFiles.PathOf("examples", "predictions-complete.json"));

    [Fact]
    public void Definition_NamesClientsUse_AreStable()
    {
        Assert.Equal("Phase6TonightWorkflow", Tonight.Name);
        Assert.Equal(["PredictionsComplete"], Tonight.Signals.Keys);
        var parameters = typeof(Phase6TonightWorkflow).GetMethod(nameof(Phase6TonightWorkflow.PredictionsCompleteAsync))!.GetParameters();
        Assert.Equal(typeof(JsonElement), parameters[0].ParameterType);
        // The delivery id is optional: clients in other languages send the message alone, as before. It is read as JSON
        // so that an id that is not a string is refused by the workflow (MalformedMessage), not dropped by the SDK.
        Assert.Equal((typeof(JsonElement?), true), (parameters[1].ParameterType, parameters[1].HasDefaultValue));
        Assert.Equal(2, parameters.Length);
        Assert.True(Tonight.RunMethod.GetParameters().Single().HasDefaultValue, "clients start the workflow without arguments");
    }

    [Fact]
    public async Task PythonExample_DryRun_SendsMessageAsPublishedWithNoStartArguments()
    {
        var start = new ProcessStartInfo("python3")
        {
            ArgumentList = { RepositoryFiles.PathOf("examples", "python", "predictions_complete.py"), "--dry-run", RepositoryFiles.PathOf("examples", "predictions-complete.json") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = Process.Start(start)!;
        var output = await python.StandardOutput.ReadToEndAsync().Within();
        await python.WaitForExitAsync().Within();
        Assert.True(python.ExitCode == 0, await python.StandardError.ReadToEndAsync());

        using var request = JsonDocument.Parse(output);
        var root = request.RootElement;
        Assert.Equal(Tonight.Name, root.GetProperty("workflowType").GetString());
        Assert.Equal(Tonight.Signals.Keys.Single(), root.GetProperty("signal").GetString());
        Assert.Equal("exportflows", root.GetProperty("taskQueue").GetString());
        Assert.Equal(0, root.GetProperty("args").GetArrayLength());
        var sent = Assert.Single(root.GetProperty("signalArgs").EnumerateArray());
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(ExampleMessage).RootElement, sent), "the message must be sent unchanged");

        // What the workflow does with exactly that: parse with trigger's parser, date from the id.
        var message = PredictionsCompleteMessage.Parse(sent.GetRawText());
        var workflowId = root.GetProperty("workflowId").GetString()!;
        Assert.Equal(message.GameDate, TonightWorkflowIds.GameDate(workflowId, input: null));
        Assert.True(PredictionsCompleteGuard.CheckMessage(message).Accepted);
    }

    [Fact]
    public void TypeScriptExample_Constants_MatchTheWorkflowDefinition()
    {
        var source = File.ReadAllText(RepositoryFiles.PathOf("examples", "typescript", "predictions-complete.ts"));
        string Constant(string name) => Regex.Match(source, $"export const {name} = '([^']*)';").Groups[1].Value;

        Assert.Equal(Tonight.Name, Constant("WORKFLOW_TYPE"));
        Assert.Equal(Tonight.Signals.Keys.Single(), Constant("SIGNAL_NAME"));
        Assert.Equal(TonightWorkflowIds.Prefix, Constant("WORKFLOW_ID_PREFIX"));
        Assert.Contains("args: [],", source, StringComparison.Ordinal);
        Assert.Contains("signalArgs: [message],", source, StringComparison.Ordinal);
        Assert.Contains("\"@temporalio/client\": \"1.24.0\"", File.ReadAllText(RepositoryFiles.PathOf("examples", "typescript", "package.json")), StringComparison.Ordinal);
    }

    /// <summary>The example as the TypeScript client sends it: JSON.stringify of the parsed file (compact, 100.0 written 100).</summary>
    internal const string TypeScriptShaped =
        "{\"processor_name\":\"PredictionCoordinator\",\"phase\":\"phase_5_predictions\",\"execution_id\":\"batch_2026-02-03_1770100000\"," +
        "\"correlation_id\":\"batch_2026-02-03_1770100000\",\"game_date\":\"2026-02-03\",\"output_table\":\"player_prop_predictions\"," +
        "\"output_dataset\":\"nba_predictions\",\"status\":\"success\",\"record_count\":412,\"records_failed\":0," +
        "\"timestamp\":\"2026-02-03T12:31:07.118000+00:00\",\"metadata\":{\"batch_id\":\"batch_2026-02-03_1770100000\",\"expected_predictions\":412," +
        "\"completed_predictions\":412,\"failed_predictions\":0,\"completion_pct\":100,\"stall_detected\":false}}";

    [Fact]
    public async Task PredictionsCompleteAsync_PublishedText_SignalArgumentIsExactlyItsBytes()
    {
        var recording = new RecordingTonightClient();
        var published = ExampleMessage.Replace("\"phase\":", "\"note\": \"caf\\u00e9 + caf\u00e9\", \"ratio\": 1.50e2, \"phase\":", StringComparison.Ordinal);

        await new Phase6Client(recording.Client, "exportflows", ExportCatalog.Shipped).PredictionsCompleteAsync(published).Within();

        var call = Assert.Single(recording.Calls);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(published), call.MessageBytes);
        Assert.Equal("json/plain", call.MessageEncoding);
        Assert.Equal((Tonight.Signals.Keys.Single(), 1), (call.Signal, call.Arguments));
        var text = System.Text.Encoding.UTF8.GetString(call.MessageBytes);
        foreach (var kept in new[] { "+00:00", "\"completion_pct\": 100.0", "\"record_count\": 412", "\"processor_name\"", "caf\\u00e9", "1.50e2" })
        {
            Assert.Contains(kept, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PublishedParse_PushBodyAroundTheMessage_SendsTheMessageNotTheEnvelope()
    {
        var body = $$$"""{"message": {"data": "{{{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ExampleMessage))}}}", "messageId": "1"}}""";

        var published = PublishedPredictionsComplete.Parse(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(ExampleMessage), published.Utf8);
    }

    [Fact]
    public void PublishedParse_ByteOrderMarkOrNotUtf8_BomDroppedInvalidBytesRefused()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(ExampleMessage);

        Assert.Equal(bytes, PublishedPredictionsComplete.Parse([0xEF, 0xBB, 0xBF, .. bytes]).Utf8);
        var error = Assert.Throws<InvalidExportRequestException>(() => PublishedPredictionsComplete.Parse([.. bytes[..^1], 0xFF, (byte)'}']));
        Assert.Equal("malformed predictions-complete message: not UTF-8 text", error.Message);
    }

    [Fact]
    public async Task GuardReason_TypeScriptShapedAndDotNetSent_ReadTheSame()
    {
        var recording = new RecordingTonightClient();
        await new Phase6Client(recording.Client, "exportflows", ExportCatalog.Shipped).PredictionsCompleteAsync(ExampleMessage).Within();
        var dotNetSent = System.Text.Encoding.UTF8.GetString(Assert.Single(recording.Calls).MessageBytes);

        // What the workflow does with each signal: the same parser, then the guard.
        var fromDotNet = PredictionsCompleteGuard.CheckMessage(PredictionsCompleteMessage.Parse(dotNetSent));
        var fromTypeScript = PredictionsCompleteGuard.CheckMessage(PredictionsCompleteMessage.Parse(TypeScriptShaped));

        Assert.Equal(fromTypeScript, fromDotNet);
        Assert.Equal(new GuardDecision(true, "status success, completion 100%"), fromDotNet);
        Assert.Equal(PredictionsCompleteMessage.Parse(TypeScriptShaped), PredictionsCompleteMessage.Parse(dotNetSent));
    }

    [Fact]
    public void ToJson_ParsedMessage_RoundTripsToAnEqualRecord()
    {
        var message = PredictionsCompleteMessage.Parse(ExampleMessage);

        Assert.Equal(message, PredictionsCompleteMessage.Parse(message.ToJson()));
        Assert.Equal("2026-02-03", message.ToJsonElement().GetProperty("game_date").GetString());
    }

    [Fact]
    public void Parse_OverSizeLimit_RefusedBeforeReading()
    {
        var huge = ExampleMessage.Replace("\"batch_2026-02-03_1770100000\",\n  \"game_date\"", $"\"{new string('x', PredictionsCompleteMessage.MaxBytes)}\",\n  \"game_date\"", StringComparison.Ordinal);
        Assert.NotEqual(ExampleMessage, huge);

        var error = Assert.Throws<InvalidExportRequestException>(() => PredictionsCompleteMessage.Parse(huge));
        Assert.Contains($"larger than the limit of {PredictionsCompleteMessage.MaxBytes} bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("phase6-tonight-2026-02-03", null, "2026-02-03")]
    [InlineData("phase6-tonight-2026-02-03", "2026-02-03", "2026-02-03")]
    [InlineData("phase6-tonight-2026-02-03", "0001-01-01", "2026-02-03")]
    [InlineData("my-own-id", "2026-02-04", "2026-02-04")]
    public void GameDate_IdAndInput_IdDecides(string workflowId, string? inputDate, string expected)
    {
        TonightInput? input = inputDate is null ? null : new TonightInput(DateOnly.Parse(inputDate, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, ExportDates.ToText(TonightWorkflowIds.GameDate(workflowId, input)));
    }

    [Theory]
    [InlineData("phase6-tonight-2026-02-03", "2026-02-04", "names 2026-02-03 but the input's game date is 2026-02-04")]
    [InlineData("my-own-id", null, "cannot tell the game date of workflow my-own-id")]
    [InlineData("phase6-tonight-2026-02-30", null, "cannot tell the game date")]
    public void GameDate_ConflictOrMissing_Refused(string workflowId, string? inputDate, string problem)
    {
        TonightInput? input = inputDate is null ? null : new TonightInput(DateOnly.Parse(inputDate, System.Globalization.CultureInfo.InvariantCulture));
        var error = Assert.Throws<InvalidExportRequestException>(() => TonightWorkflowIds.GameDate(workflowId, input));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
