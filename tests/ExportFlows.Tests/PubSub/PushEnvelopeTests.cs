using System.Text;
using ExportFlows.Worker.PubSub;

namespace ExportFlows.Tests.PubSub;

/// <summary>The push envelope parser on input Pub/Sub never sends: a typed rejection naming the field, never an exception.</summary>
public sealed class PushEnvelopeTests
{
    private const string Data = "eyJnYW1lX2RhdGUiOiAiMjAyNi0wMi0wMyJ9";

    public static string Body(string messageId = "\"1234567890\"", string data = $"\"{Data}\"", string publishTime = "\"2026-02-03T12:31:08Z\"",
        string subscription = "\"projects/p/subscriptions/s\"", string attributes = "{\"source\": \"phase5\"}") =>
        $"{{\"message\": {{\"data\": {data}, \"attributes\": {attributes}, \"messageId\": {messageId}, \"publishTime\": {publishTime}}}, \"subscription\": {subscription}}}";

    /// <summary>Each field with a lone UTF-16 surrogate escape: valid JSON syntax, unreadable as .NET text.</summary>
    public static TheoryData<string, string, string> LoneSurrogates => new()
    {
        { "messageId", Body(messageId: "\"12\\ud80034\""), "$.message.messageId" },
        { "data", Body(data: "\"eyJ\\udfff\""), "$.message.data" },
        { "publishTime", Body(publishTime: "\"2026-02-03T12:31:08Z\\ud800\""), "$.message.publishTime" },
        { "subscription", Body(subscription: "\"projects/p/subscriptions/\\udfff\""), "$.subscription" },
        { "attribute value", Body(attributes: "{\"source\": \"\\ud800\"}"), "$.message.attributes.source" },
        { "attribute name", Body(attributes: "{\"a\\udc00\": \"x\"}"), "$.message.attributes (a property name)" },
        { "unknown field", Body().Replace("\"subscription\"", "\"deliveryAttempt\": [\"\\ud800\"], \"subscription\"", StringComparison.Ordinal), "$.deliveryAttempt[0]" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public void TryParse_LoneSurrogateInField_RejectedNamingTheField(string field, string body, string path)
    {
        var envelope = PushEnvelope.TryParse(Encoding.UTF8.GetBytes(body), out var problem);

        Assert.True(envelope is null, $"{field}: accepted");
        Assert.Equal($"not a valid push envelope: {path} is not valid Unicode text (an unpaired UTF-16 surrogate)", problem);
    }

    [Fact]
    public void TryParse_ValidSurrogatePair_Accepted()
    {
        var envelope = PushEnvelope.TryParse(Encoding.UTF8.GetBytes(Body(attributes: "{\"emoji\": \"\\ud83c\\udfc0\"}")), out var problem);

        Assert.Equal("1234567890", envelope?.MessageId);
        Assert.Equal("", problem);
    }

    [Theory]
    [InlineData("messageId", "12", "message.messageId must be a string, got Number")]
    [InlineData("messageId", "\"\"", "no message.messageId")]
    [InlineData("messageId", "\"a\\u0000b\"", "message.messageId is not an id")]
    [InlineData("data", "[]", "message.data must be a string, got Array")]
    [InlineData("publishTime", "\"yesterday\"", "message.publishTime is not a timestamp")]
    [InlineData("publishTime", "1770100000", "message.publishTime must be a string, got Number")]
    [InlineData("subscription", "{}", "subscription must be a string, got Object")]
    [InlineData("attributes", "[\"a\"]", "message.attributes must be an object, got Array")]
    [InlineData("attributes", "{\"n\": 1}", "every message.attributes value must be a string")]
    public void TryParse_FieldOfTheWrongShape_RejectedWithTheReason(string field, string value, string reason)
    {
        var body = field switch
        {
            "messageId" => Body(messageId: value),
            "data" => Body(data: value),
            "publishTime" => Body(publishTime: value),
            "subscription" => Body(subscription: value),
            _ => Body(attributes: value),
        };

        Assert.Null(PushEnvelope.TryParse(Encoding.UTF8.GetBytes(body), out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_MessageIdLongerThanAnyPubSubId_Rejected()
    {
        Assert.Null(PushEnvelope.TryParse(Encoding.UTF8.GetBytes(Body(messageId: $"\"{new string('7', PushEnvelope.MaxMessageIdLength + 1)}\"")), out var problem));
        Assert.Contains($"over {PushEnvelope.MaxMessageIdLength} characters", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json", null)]
    [InlineData("application/json; charset=utf-8", null)]
    [InlineData("Application/JSON;charset=\"UTF-8\"", null)]
    [InlineData("application/json; charset=utf-8; foo=bar", null)]
    [InlineData("application/jsonx", "Content-Type must be application/json")]
    [InlineData("application/json-seq", "Content-Type must be application/json")]
    [InlineData("application/json, text/plain", "Content-Type must be application/json")]
    [InlineData("text/plain", "Content-Type must be application/json")]
    [InlineData("", "Content-Type must be application/json")]
    [InlineData(null, "Content-Type must be application/json")]
    [InlineData("application/json; charset=iso-8859-1", "Content-Type charset must be utf-8, got iso-8859-1")]
    public void Problem_ContentType_OnlyJsonInUtf8(string? contentType, string? problem) =>
        Assert.Equal(problem, PushContentType.Problem(contentType));
}
