using System.Text.Json;
using System.Text.Json.Nodes;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Temporalio.Converters;

namespace ExportFlows.Tests.Orchestration;

/// <summary>The external activity contract through Temporal's default converter, against the fixture files the Python tests read too.</summary>
public sealed class ExternalContractTests
{
    private static readonly IPayloadConverter Converter = DataConverter.Default.PayloadConverter;

    private static ExportOutcome Outcome(string type, string json) => ExportResultCheck.Outcome("json/plain", System.Text.Encoding.UTF8.GetBytes(json),
        ExportCatalog.Shipped.Get(type), new DateOnly(2026, 2, 10), "exportflows-python", TimeSpan.FromSeconds(1));

    private static string Fixture(string name) => ContractFixtures.Text(name);

    private static T RoundTrip<T>(string fixture, out JsonNode written)
    {
        var value = Converter.ToValue<T>(ContractFixtures.JsonPayload(Fixture(fixture)));
        var payload = Converter.ToPayload(value);
        Assert.Equal("json/plain", payload.Metadata["encoding"].ToStringUtf8());
        written = JsonNode.Parse(payload.Data.ToStringUtf8())!;
        return value;
    }

    [Theory]
    [InlineData("input-results.json")]
    [InlineData("input-player-profiles.json")]
    public void Input_Fixture_RoundTripsUnchanged(string fixture)
    {
        var input = RoundTrip<ExportActivityInput>(fixture, out var written);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Fixture(fixture)), written), written.ToJsonString());
        Assert.Matches("^[a-z]+(-[a-z]+)*$", input.ExportType);
    }

    [Theory]
    [InlineData("output-results.json")]
    [InlineData("output-skipped.json")]
    [InlineData("output-tonight-players.json")]
    public void Output_Fixture_RoundTripsUnchanged(string fixture)
    {
        RoundTrip<ExportActivityResult>(fixture, out var written);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Fixture(fixture)), written), written.ToJsonString());
    }

    [Fact]
    public void Input_PlayerProfiles_FieldValues()
    {
        var input = RoundTrip<ExportActivityInput>("input-player-profiles.json", out _);
        Assert.Equal(new ExportActivityInput("player-profiles", "2026-02-08", false, "2026-02-08T11:00:00.000000+00:00",
            "schedule-player-profiles-2026-02-08T11:00:00Z", "schedule", input.Options), input);
        Assert.Equal(5, input.Options["min_games"].GetInt32());
    }

    [Fact]
    public void Output_TonightPlayers_NullBytesAndGenerationKept()
    {
        var result = RoundTrip<ExportActivityResult>("output-tonight-players.json", out _);
        Assert.Equal(3, result.Objects.Count);
        Assert.Equal(new ExportActivityObject("v1/tonight/player/2026-02-10/nikolajokic.json", null, null), result.Objects[2]);
        Assert.Equal(4211, result.Objects[0].Bytes);
        Assert.Null(result.SkippedReason);
    }

    [Fact]
    public void Input_FromPlanner_SerializesAsTheFixture()
    {
        // What the workflow sends for the daily-results run of 2026-02-11 05:00 ET is the fixture, byte for byte as JSON.
        var at = new DateTimeOffset(2026, 2, 11, 10, 0, 0, TimeSpan.Zero);
        var plan = ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["results"], "yesterday", Trigger: "schedule:phase6-daily-results"), at);
        var input = ExportPlanner.Input(ExportCatalog.Shipped.Get(plan.Jobs[0].Type), plan, plan.Jobs[0], "schedule-daily-results-2026-02-11T10:00:00Z");
        var written = JsonNode.Parse(Converter.ToPayload(input).Data.ToStringUtf8());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Fixture("input-results.json")), written), written!.ToJsonString());
    }

    [Fact]
    public void ErrorTypes_Fixture_MatchesRetryPolicy()
    {
        using var doc = JsonDocument.Parse(Fixture("error-types.json"));
        var nonRetryable = doc.RootElement.GetProperty("non_retryable").EnumerateArray().Select(e => e.GetString()!).ToList();
        var retryable = doc.RootElement.GetProperty("retryable").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.All(nonRetryable, t => Assert.Contains(t, ExportErrorTypes.NonRetryable));
        Assert.All(retryable, t => Assert.DoesNotContain(t, ExportErrorTypes.NonRetryable));
        Assert.Equal(["NotReady"], retryable);
        Assert.Equal(ExportErrorTypes.NotReady, retryable[0]);
    }

    [Theory]
    [InlineData("{\"export_type\":\"results\",\"objects\":[{\"name\":\"gs://nba-props-platform-api/v1/results/2026-02-10.json\",\"bytes\":null,\"generation\":null}],\"skipped_reason\":null}", "not relative to the bucket")]
    [InlineData("{\"export_type\":\"live\",\"objects\":[],\"skipped_reason\":null}", "answers a request for 'results'")]
    [InlineData("{\"export_type\":\"results\",\"objects\":[{\"name\":\"v1/results/2026-02-10.json\",\"bytes\":1,\"generation\":null}],\"skipped_reason\":\"why\"}", "skipped_reason set although")]
    public void External_ResultBreakingContract_ContractViolation(string json, string problem)
    {
        var outcome = Outcome("results", json);
        Assert.Equal((ExportStatus.Failed, ExportErrorTypes.ContractViolation), (outcome.Status, outcome.ErrorType));
        Assert.Contains(problem, outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void External_ManyObjects_CountFirstNameAndKnownBytes()
    {
        var outcome = Outcome("tonight-players", Fixture("output-tonight-players.json"));
        Assert.Equal((ExportStatus.Succeeded, "v1/tonight/player/2026-02-10/lebronjames.json", 8191L, 3), (outcome.Status, outcome.ObjectName, outcome.Bytes, outcome.ObjectCount));
        var skipped = Outcome("live", Fixture("output-skipped.json"));
        Assert.Equal((ExportStatus.Skipped, "no games on 2026-02-10", 0), (skipped.Status, skipped.Error, skipped.ObjectCount));
    }
}
