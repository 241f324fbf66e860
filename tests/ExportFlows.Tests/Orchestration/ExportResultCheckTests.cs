using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExportFlows.Tests.Catalog;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Orchestration;

/// <summary>
/// Any answer of a worker in another language, read as raw JSON: a malformed one fails its export as a ContractViolation
/// that names the field and the worker's queue; a good one is reported as the worker wrote it.
/// </summary>
public sealed class ExportResultCheckTests
{
    private const string Queue = "exportflows-python";
    private static readonly DateOnly Date = new(2026, 2, 10);

    private static ExportOutcome Outcome(string type, string json, string? encoding = "json/plain") =>
        ExportResultCheck.Outcome(encoding, Encoding.UTF8.GetBytes(json), ExportCatalog.Shipped.Get(type), Date, Queue, TimeSpan.FromSeconds(2));

    private static string Result(string type, IEnumerable<string> names, string extra = "") =>
        $$"""{"export_type":"{{type}}","objects":[{{string.Join(",", names.Select(n => $$"""{"name":"{{n}}","bytes":null,"generation":null}"""))}}],"skipped_reason":null{{extra}}}""";

    private static void AssertViolation(ExportOutcome outcome, string type, string problem)
    {
        Assert.Equal((type, ExportStatus.Failed, ExportErrorTypes.ContractViolation), (outcome.Type, outcome.Status, outcome.ErrorType));
        Assert.StartsWith($"the worker on task queue '{Queue}' answered {ExportCatalogParser.DefaultActivity(type)} with a result that breaks the contract: ",
            outcome.Error, StringComparison.Ordinal);
        Assert.Contains(problem, outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"gs://nba-props-platform-api/v1/results/2026-02-10.json\"", "the result is a JSON string, not an object")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/results/2026-02-10.json","bytes":"many","generation":null}],"skipped_reason":null}""", "objects[0]: bytes: expected a non-negative integer or null, found \"many\"")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/results/2026-02-10.json","bytes":9223372036854775807,"generation":null},{"name":"v1/results/latest.json","bytes":1,"generation":null}],"skipped_reason":null}""", "objects[1]: bytes: the sizes add up to more than 9223372036854775807")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/results/2026-02-10.json","bytes":-1,"generation":null}],"skipped_reason":null}""", "objects[0]: bytes: expected a non-negative integer or null, found -1")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/../../etc/passwd","bytes":null,"generation":null}],"skipped_reason":null}""", "objects[0]: name 'v1/../../etc/passwd' has an empty, '.' or '..' segment")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/results//2026-02-10.json","bytes":null,"generation":null}],"skipped_reason":null}""", "objects[0]: name 'v1/results//2026-02-10.json' has an empty")]
    [InlineData("""{"export_type":"results","objects":[{"name":"gs://nba-props-platform-api/v1/results/2026-02-10.json","bytes":null,"generation":null}],"skipped_reason":null}""", "objects[0]: name 'gs://nba-props-platform-api/v1/results/2026-02-10.json' is not relative to the bucket")]
    [InlineData("""{"export_type":"results","objects":[{"name":"/etc/passwd","bytes":null,"generation":null}],"skipped_reason":null}""", "is not relative to the bucket")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/results/2026-02-11.json","bytes":null,"generation":null}],"skipped_reason":null}""", "objects[0]: name 'v1/results/2026-02-11.json' is none of the type's catalog objects (v1/results/{date}.json, v1/results/latest.json)")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/picks/2026-02-10.json","bytes":null,"generation":null}],"skipped_reason":null}""", "is none of the type's catalog objects")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/results/2026 02 10.json","bytes":null,"generation":null}],"skipped_reason":null}""", "is not v1/….json of at most 1024 letters")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/results/2026-02-10.json","bytes":null,"generation":17}],"skipped_reason":null}""", "objects[0]: generation: expected a string or null")]
    [InlineData("""{"export_type":"results","objects":["v1/results/2026-02-10.json"],"skipped_reason":null}""", "objects[0]: expected { name, bytes, generation } with a string name")]
    [InlineData("""{"export_type":"live","objects":[],"skipped_reason":"no games"}""", "export_type 'live' answers a request for 'results'")]
    [InlineData("""{"objects":[],"skipped_reason":"no games"}""", "export_type: missing or not a string")]
    [InlineData("""{"export_type":"results","skipped_reason":null}""", "objects: missing or not an array")]
    [InlineData("""{"export_type":"results","objects":[]}""", "skipped_reason: missing, or neither null nor a string")]
    [InlineData("""{"export_type":"results","objects":[],"skipped_reason":null}""", "objects: empty although skipped_reason is null")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/results/2026-02-10.json","bytes":1,"generation":null}],"skipped_reason":"why"}""", "skipped_reason set although objects were written")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/results/2026-02-10.json","bytes":1,"generation":null},{"name":"v1/results/latest.json","bytes":1,"generation":null}],"object_count":1,"skipped_reason":null}""", "object_count: smaller than the objects listed")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/results/2026-02-10.json","bytes":1,"generation":null}],"object_count":"many","skipped_reason":null}""", "object_count: expected a non-negative integer or null, found \"many\"")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/results/2026-02-10.json","bytes":1,"generation":null}],"skipped_reason":null,"attempt":0}""", "attempt: 0 is not an attempt number (1 or more)")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/results/2026-02-10.json","bytes":1,"generation":null}],"skipped_reason":null,"attempt":2.5}""", "attempt: expected a non-negative integer or null, found 2.5")]
    [InlineData("""{"export_type":"results","objects":[""", "the result is not valid JSON")]
    public void Outcome_MalformedAnswer_ContractViolationNamingTheFieldAndQueue(string json, string problem) =>
        AssertViolation(Outcome("results", json), "results", problem);

    [Fact]
    public void Outcome_NullOrNotJson_ContractViolation()
    {
        AssertViolation(Outcome("results", "", "binary/null"), "results", "the result is null");
        AssertViolation(Outcome("results", "x", "binary/plain"), "results", "the result is not JSON (encoding 'binary/plain')");
        AssertViolation(Outcome("results", "{}", null), "results", "the result is not JSON (encoding '')");
    }

    [Theory]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/results/\ud800.json","bytes":null,"generation":null}],"skipped_reason":null}""")]
    [InlineData("""{"export_type":"result\udc00","objects":[],"skipped_reason":"none"}""")]
    [InlineData("""{"export_type":"results","objects":[],"skipped_reason":"no games \ud83d"}""")]
    [InlineData("""{"export_type":"results","objects":[{"name":"v1/results/2026-02-10.json","bytes":null,"generation":"\udfff"}],"skipped_reason":null}""")]
    public void Outcome_LoneSurrogateEscape_ContractViolationNotAnException(string json) =>
        AssertViolation(Outcome("results", json), "results", "the result holds a string that is not valid text");

    [Fact]
    public void Outcome_SixtyThousandObjects_OverTheBoundNamedWithTheCount()
    {
        var names = Enumerable.Range(0, 60_000).Select(i => $"v1/tonight/player/p{i:00000}.json");

        AssertViolation(Outcome("tonight-players", Result("tonight-players", names, ",\"object_count\":60000")), "tonight-players",
            "objects: 60000 listed; at most 1000 may be listed (give the total in object_count)");
    }

    [Fact]
    public void Outcome_NameLongerThanGcsAllows_ContractViolation() =>
        AssertViolation(Outcome("tonight-players", Result("tonight-players", [$"v1/tonight/player/{new string('a', 1010)}.json"])), "tonight-players", "of at most 1024");

    [Fact]
    public void Outcome_ObjectInASubfolderOfThePlayersFolder_NotTheTypes()
    {
        AssertViolation(Outcome("tonight-players", Result("tonight-players", ["v1/tonight/player/2026/lebronjames.json"])), "tonight-players",
            "name 'v1/tonight/player/2026/lebronjames.json' is none of the type's catalog objects (v1/tonight/player/{date}/, v1/tonight/player/)");
        // The dated folder is the export date's only: another date's player file is not this export's.
        AssertViolation(Outcome("tonight-players", Result("tonight-players", ["v1/tonight/player/2026-02-09/lebronjames.json"])), "tonight-players",
            "name 'v1/tonight/player/2026-02-09/lebronjames.json' is none of the type's catalog objects");
    }

    [Fact]
    public void Outcome_StrShape_OneObjectAsThePythonWorkerListsIt()
    {
        var outcome = Outcome("results", Result("results", ["v1/results/2026-02-10.json"]));

        Assert.Equal((ExportStatus.Succeeded, "v1/results/2026-02-10.json", 0L, 1L, 0), (outcome.Status, outcome.ObjectName, outcome.Bytes, outcome.ObjectCount, outcome.Attempts));
        Assert.Equal([new ExportActivityObject("v1/results/2026-02-10.json", null, null)], outcome.Objects);
        Assert.Null(outcome.Error);
    }

    [Fact]
    public void Outcome_ListShape_DatedAndLatestInTheOrderWritten()
    {
        var outcome = Outcome("results", Result("results", ["v1/results/2026-02-10.json", "v1/results/latest.json"]));

        Assert.Equal(ExportStatus.Succeeded, outcome.Status);
        Assert.Equal(["v1/results/2026-02-10.json", "v1/results/latest.json"], outcome.Objects!.Select(o => o.Name));
        Assert.Equal(2, outcome.ObjectCount);
    }

    [Fact]
    public void Outcome_DictShape_NamedPathsOfANewType()
    {
        var outcome = Outcome("best-bets-record", Result("best-bets-record", ["v1/best-bets/record.json", "v1/best-bets/history.json"]));

        Assert.Equal((ExportStatus.Succeeded, "best-bets-record", 2L), (outcome.Status, outcome.Type, outcome.ObjectCount));
        Assert.Equal(["v1/best-bets/record.json", "v1/best-bets/history.json"], outcome.Objects!.Select(o => o.Name));
    }

    [Fact]
    public void Outcome_PerPlayerFolder_IndexAndPlayersOfProfiles()
    {
        var outcome = Outcome("player-profiles", Result("player-profiles", ["v1/players/index.json", "v1/players/lebronjames.json", "v1/players/nikolajokic.json"]));

        Assert.Equal((ExportStatus.Succeeded, "v1/players/index.json", 3L), (outcome.Status, outcome.ObjectName, outcome.ObjectCount));
    }

    [Fact]
    public void Outcome_ObjectCountAboveTheListed_ReportedAsTheTotal()
    {
        var json = ContractFixtures.Text("output-object-count.json");

        var outcome = Outcome("tonight-players", json);

        Assert.Equal((ExportStatus.Succeeded, 1500L, 1000, "v1/tonight/player/2026-02-10/p0000.json"), (outcome.Status, outcome.ObjectCount, outcome.Objects!.Count, outcome.ObjectName));
        Assert.Equal(1500, outcome.TotalObjects);
    }

    [Fact]
    public void Outcome_SizesAndGenerations_SummedAndKept()
    {
        var json = """{"export_type":"results","objects":[{"name":"v1/results/2026-02-10.json","bytes":4000,"generation":"17"},{"name":"v1/results/latest.json","bytes":211,"generation":null}],"skipped_reason":null,"attempt":3}""";

        var outcome = Outcome("results", json);

        Assert.Equal((4211L, 3), (outcome.Bytes, outcome.Attempts));
        Assert.Equal(new ExportActivityObject("v1/results/2026-02-10.json", 4000, "17"), outcome.Objects![0]);
    }

    [Fact]
    public void Outcome_Skipped_ReasonReportedAndNoObject()
    {
        var outcome = Outcome("calendar", """{"export_type":"calendar","objects":[],"skipped_reason":"CalendarExporter.export returned no paths: nothing was written"}""");

        Assert.Equal((ExportStatus.Skipped, "CalendarExporter.export returned no paths: nothing was written", 0L), (outcome.Status, outcome.Error, outcome.ObjectCount));
    }

    [Fact]
    public void Outcome_EveryInvalidOutputFixture_RefusedAsContractViolation()
    {
        var files = Directory.GetFiles(ContractFixtures.PathOf("invalid"), "output-*.json");
        Assert.True(files.Length >= 8, $"{files.Length} invalid output fixtures");
        foreach (var file in files)
        {
            var document = JsonNode.Parse(File.ReadAllText(file))!["document"]!;
            var type = document is JsonObject o && o["export_type"] is JsonValue t ? t.GetValue<string>() : "results";
            var outcome = Outcome(type, document.ToJsonString());
            Assert.True(outcome.ErrorType == ExportErrorTypes.ContractViolation, $"{Path.GetFileName(file)}: {outcome.Status} {outcome.Error}");
        }
    }

    [Fact]
    public void Check_DeeplyNestedOrBareString_RefusedNotThrown()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200));
        AssertViolation(Outcome("results", deep), "results", "the result is not valid JSON");
        var (_, problem) = ExportResultCheck.Check("json/plain", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new string('x', 10))), ExportCatalog.Shipped.Get("results"), Date);
        Assert.NotNull(problem);
    }
}
