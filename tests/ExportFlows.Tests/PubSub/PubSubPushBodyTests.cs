using System.Text.Json;
using ExportFlows.Workflows.Orchestration;

namespace ExportFlows.Tests.PubSub;

public sealed class PubSubPushBodyTests
{
    [Fact]
    public void Data_PushBody_Base64TextOfMessageData()
    {
        using var body = JsonDocument.Parse("""{"message": {"data": "eyJhIjoxfQ==", "messageId": "7"}, "subscription": "s"}""");

        Assert.Equal("eyJhIjoxfQ==", PubSubPushBody.Data(body.RootElement));
        Assert.Equal("7", PubSubPushBody.Message(body.RootElement)!.Value.GetProperty("messageId").GetString());
    }

    [Theory]
    [InlineData("""{"game_date": "2026-02-03", "status": "success"}""")]
    [InlineData("""{"message": "not an object"}""")]
    [InlineData("""{"message": {"data": 5}}""")]
    [InlineData("""{"message": {"messageId": "7"}}""")]
    [InlineData("""[{"message": {"data": "eyJhIjoxfQ=="}}]""")]
    public void Data_NoStringMessageData_Null(string json)
    {
        using var body = JsonDocument.Parse(json);

        Assert.Null(PubSubPushBody.Data(body.RootElement));
    }

    [Theory]
    [InlineData("""{"message": "not an object"}""", false)]
    [InlineData("""{"message": null}""", false)]
    [InlineData("""{"message": {}}""", true)]
    [InlineData("""["message"]""", false)]
    public void Message_Body_ObjectOnlyWhenMessageIsAnObject(string json, bool expected)
    {
        using var body = JsonDocument.Parse(json);

        Assert.Equal(expected, PubSubPushBody.Message(body.RootElement).HasValue);
    }
}
