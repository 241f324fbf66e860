using System.Text;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Orchestration;

public sealed class PredictionsCompleteMessageTests
{
    private const string Legacy = """
        {"processor_name": "PredictionCoordinator", "phase": "phase_5_predictions", "execution_id": "batch_2026-02-03_1770100000",
         "correlation_id": "corr-1", "game_date": "2026-02-03", "status": "success", "record_count": 412, "records_failed": 0,
         "timestamp": "2026-02-03T12:30:00+00:00",
         "metadata": {"batch_id": "batch_2026-02-03_1770100000", "expected_predictions": 412, "completed_predictions": 400, "completion_pct": 97.1}}
        """;

    [Fact]
    public void Parse_LegacyCoordinatorMessage_ReadsEveryField()
    {
        var message = PredictionsCompleteMessage.Parse(Legacy);
        Assert.Equal(new PredictionsCompleteMessage(new DateOnly(2026, 2, 3), "success", "corr-1", "batch_2026-02-03_1770100000",
            "batch_2026-02-03_1770100000", 97.1m, 400, "2026-02-03T12:30:00+00:00"), message);
    }

    [Fact]
    public void Parse_FirestorePathMessage_ReadsCompletionPercentage()
    {
        var message = PredictionsCompleteMessage.Parse("""
            {"game_date": "2026-02-03", "status": "success", "execution_id": "b7",
             "metadata": {"batch_id": "b7", "expected_players": 200, "completed_players": 190, "total_predictions": 380, "completion_percentage": 95.0}}
            """);
        Assert.Equal((95.0m, 380L, "b7", "b7"), (message.CompletionPct, message.CompletedPredictions, message.CorrelationId, message.BatchId));
    }

    [Fact]
    public void Parse_PubSubPushEnvelope_DecodesData()
    {
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes(Legacy));
        var envelope = "{\"message\": {\"data\": \"" + data + "\", \"messageId\": \"1\"}}";
        Assert.Equal(new DateOnly(2026, 2, 3), PredictionsCompleteMessage.Parse(envelope).GameDate);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1,2]", "expected a JSON object, got Array")]
    [InlineData("""{"status": "success"}""", "game_date is missing")]
    [InlineData("""{"game_date": "2026-02-30", "status": "success"}""", "game_date '2026-02-30' is not a date YYYY-MM-DD")]
    [InlineData("""{"game_date": "../x", "status": "success"}""", "game_date '../x' is not a date")]
    [InlineData("""{"game_date": 20260203, "status": "success"}""", "game_date must be a string, got Number")]
    [InlineData("""{"game_date": "2026-02-03"}""", "status is missing")]
    [InlineData("""{"game_date": "2026-02-03", "status": "success", "metadata": {"completion_pct": "97"}}""", "metadata.completion_pct must be a number")]
    [InlineData("""{"game_date": "2026-02-03", "status": "success", "metadata": {"completion_pct": 180}}""", "outside 0–100")]
    [InlineData("""{"game_date": "2026-02-03", "status": "success", "metadata": "x"}""", "metadata must be an object")]
    [InlineData("""{"game_date": "2026-02-03", "status": "success", "record_count": 1.5}""", "record_count must be an integer")]
    [InlineData("""{"message": {"data": "%%%"}}""", "message.data is not base64")]
    [InlineData("""{"game_date": "0001-01-01", "status": "success"}""", "game_date 0001-01-01 is outside 2000-01-01–2099-12-31")]
    [InlineData("""{"game_date": "9999-12-31", "status": "success"}""", "game_date 9999-12-31 is outside")]
    [InlineData("""{"game_date": "2026-02-03", "status": "\ud800"}""", "unreadable value")]
    [InlineData("""{"GameDate": "2026-02-03", "Status": "success", "CompletionPct": 100}""", "game_date is missing")]
    [InlineData("""{"gameDate": "2026-02-03", "status": "success", "metadata": {"completionPct": 100}}""", "game_date is missing")]
    public void Parse_Malformed_NamesProblem(string json, string problem)
    {
        var error = Assert.Throws<InvalidExportRequestException>(() => PredictionsCompleteMessage.Parse(json));
        Assert.StartsWith("malformed predictions-complete message: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("success", 80.0, true, "status success, completion 80%")]
    [InlineData("partial", 97.1, true, "status partial, completion 97.1%")]
    [InlineData("success", 79.9, false, "completion 79.9% is below 80%")]
    [InlineData("failed", 100.0, false, "status 'failed' is not success or partial")]
    [InlineData("SUCCESS", 100.0, false, "status 'SUCCESS' is not success or partial")]
    public void CheckMessage_StatusAndCompletion(string status, double completion, bool accepted, string reason)
    {
        var message = new PredictionsCompleteMessage(new DateOnly(2026, 2, 3), status, "c", null, null, (decimal)completion, null, null);
        Assert.Equal(new GuardDecision(accepted, reason), PredictionsCompleteGuard.CheckMessage(message));
    }

    [Fact]
    public void CheckMessage_NoCompletion_RejectedLoudly()
    {
        var message = new PredictionsCompleteMessage(new DateOnly(2026, 2, 3), "success", "c", null, null, null, null, null);
        Assert.False(PredictionsCompleteGuard.CheckMessage(message).Accepted);
    }

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    [InlineData(0, false)]
    public void CheckPredictions_AtLeastTen(long count, bool accepted) =>
        Assert.Equal(accepted, PredictionsCompleteGuard.CheckPredictions(count).Accepted);

    [Fact]
    public void Parse_ExampleInRepository_AcceptedByGuards()
    {
        var message = PredictionsCompleteMessage.Parse(File.ReadAllText(RepositoryFiles.PathOf("examples", "predictions-complete.json")));
        Assert.Equal(new DateOnly(2026, 2, 3), message.GameDate);
        Assert.True(PredictionsCompleteGuard.CheckMessage(message).Accepted);
    }

    [Fact]
    public void TonightWorkflowId_PerDate() =>
        Assert.Equal("phase6-tonight-2026-02-03", Phase6Client.TonightWorkflowId(new DateOnly(2026, 2, 3)));
}
