using System.Text;
using ExportFlows.Tests.Catalog;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Events;

namespace ExportFlows.Tests.Events;

/// <summary>Messages read for their events: dates against the clock, typed fields, listed types, the flag form, the sport.</summary>
public sealed class EventMessageReaderTests
{
    /// <summary>2026-02-11 03:30 UTC is still 2026-02-10 in America/New_York.</summary>
    public static readonly DateTimeOffset Now = new(2026, 2, 11, 3, 30, 0, TimeSpan.Zero);

    public static readonly ExportCatalog Catalog = CatalogText.Parse(EventCatalogText.Valid).Catalog!;

    private static EventReading Read(string eventName, string json) => EventMessageReader.Read(Catalog.FindEvent(eventName)!, Catalog, json, Now);

    private static EventRequest Accepted(string eventName, string json)
    {
        var reading = Read(eventName, json);
        Assert.True(reading.Accepted, reading.Refusal?.Reason);
        return reading.Request!;
    }

    private static EventRefusal Refused(string eventName, string json, string field)
    {
        var reading = Read(eventName, json);
        Assert.Null(reading.Request);
        Assert.Equal(field, reading.Refusal!.Field);
        return reading.Refusal;
    }

    [Fact]
    public void Read_ExportRequestWithoutDate_IsYesterdayInNewYorkWithDefaults()
    {
        var request = Accepted("export-request", """{"export_types": ["scores", "all", "scores"]}""");

        Assert.Equal((new DateOnly(2026, 2, 9), "export-request"), (request.Date, request.Event));
        Assert.Equal(["scores", "all"], request.Types);
        Assert.True(request.UpdateLatest);
        Assert.Equal("scheduled", request.CorrelationId);
        Assert.False(request.Values.ContainsKey("trigger_source"));
    }

    [Theory]
    [InlineData("today", "2026-02-10")]
    [InlineData("yesterday", "2026-02-09")]
    [InlineData("2026-01-31", "2026-01-31")]
    public void Read_ExportRequestDate_ResolvedAgainstTheClock(string given, string expected)
    {
        var request = Accepted("export-request", $$"""{"export_types": ["picks"], "target_date": "{{given}}", "update_latest": false, "correlation_id": "abc", "trigger_source": "manual"}""");

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), request.Date);
        Assert.False(request.UpdateLatest);
        Assert.Equal("abc", request.CorrelationId);
        Assert.Equal("\"manual\"", request.Values["trigger_source"]);
    }

    [Fact]
    public void Read_PlayersForm_RunsTheFlagRowsWithTheOption()
    {
        var request = Accepted("export-request", """{"players": true, "min_games": 7}""");
        Assert.Equal(["scores"], request.Types);
        Assert.Equal(7, request.Options["min_games"]);

        Assert.Equal(5, Accepted("export-request", """{"players": true}""").Options["min_games"]);
        Assert.Contains("from 1 to 82", Refused("export-request", """{"players": true, "min_games": 500}""", "min_games").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OtherSport_RefusedByNameNeverRunAsNba()
    {
        var refusal = Refused("export-request", """{"sport": "mlb", "export_types": ["best-bets"], "target_date": "today"}""", "sport");
        Assert.Equal("sport 'mlb' has no rows in this catalog (its rows serve nba): the message is refused, never run as nba", refusal.Reason);

        Assert.Equal(["picks"], Accepted("export-request", """{"sport": "nba", "export_types": ["picks"]}""").Types);
    }

    [Theory]
    [InlineData("""{"export_types": ["nope"]}""", "export_types", "export_types names 'nope', which is no type or group")]
    [InlineData("""{"export_types": []}""", "export_types", "export_types lists 0 types")]
    [InlineData("""{"export_types": "picks"}""", "export_types", "export_types must be an array")]
    [InlineData("""{"update_latest": true}""", "export_types", "export_types is missing: list the export types to run, or send players = true")]
    [InlineData("""{"export_types": ["picks"], "update_latest": "yes"}""", "update_latest", "update_latest must be a bool, got the string \"yes\"")]
    [InlineData("""{"export_types": ["picks"], "target_date": "2026-13-01"}""", "target_date", "target_date")]
    [InlineData("""{"export_types": ["picks"], "target_date": 20260210}""", "target_date", "target_date must be a date")]
    [InlineData("""{"players": "yes"}""", "players", "players must be true or false")]
    [InlineData("""[1, 2]""", EventRefusal.WholeMessage, "expected a JSON object")]
    [InlineData("""{"export_types": """, EventRefusal.WholeMessage, "not valid JSON")]
    public void Read_BadExportRequest_RefusedNamingTheField(string json, string field, string expected)
    {
        Assert.Contains(expected, Refused("export-request", json, field).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TooManyTypes_Refused()
    {
        var json = "{\"export_types\": [" + string.Join(", ", Enumerable.Repeat("\"picks\"", EventMessageReader.MaxTypes + 1)) + "]}";
        Assert.Contains("lists 101 types", Refused("export-request", json, "export_types").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GradingComplete_DeprecatedGradedDateAndTypedFields()
    {
        var request = Accepted("grading-complete", """{"graded_date": "2026-02-08", "status": "success", "graded_count": 12, "ratio": 0.50}""");

        Assert.Equal(new DateOnly(2026, 2, 8), request.Date);
        Assert.Equal(["picks", "scores", "all"], request.Types);
        Assert.Equal(("\"success\"", "12", "0.5"), (request.Values["status"], request.Values["graded_count"], request.Values["ratio"]));
        Assert.Equal(new DateOnly(2026, 2, 7), Accepted("grading-complete", """{"target_date": "2026-02-07", "graded_date": "2026-02-08"}""").Date);
    }

    [Fact]
    public void Read_GradingCompleteWithoutDate_RefusedNamingTheFields()
    {
        Assert.Equal("target_date is missing: the message gives its date in target_date or graded_date",
            Refused("grading-complete", """{"status": "success", "graded_count": 3}""", "target_date").Reason);
        Assert.Contains("graded_count must be an integer", Refused("grading-complete", """{"target_date": "2026-02-08", "graded_count": 1.5}""", "graded_count").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PushBody_IsUnwrapped()
    {
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"target_date": "2026-02-08", "status": "success"}"""));
        Assert.Equal(new DateOnly(2026, 2, 8), Accepted("grading-complete", $$$"""{"message": {"data": "{{{data}}}", "messageId": "1"}}""").Date);
        Refused("grading-complete", """{"message": {"data": "***"}}""", "message.data");
    }

    [Fact]
    public void Read_PredictionsComplete_RunsTheOrchestratorList()
    {
        var request = Accepted("predictions-complete", """{"game_date": "2026-02-10", "status": "success"}""");
        Assert.Equal(Catalog.Orchestrator, request.Types);
        Refused("predictions-complete", """{"status": "success"}""", "game_date");
    }
}
