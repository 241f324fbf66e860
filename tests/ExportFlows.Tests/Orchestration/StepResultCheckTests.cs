using System.Text;
using System.Text.Json;
using ExportFlows.Tests.Catalog;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Orchestration;

/// <summary>A step's answer and the values a result carries, checked like the rest of the answer.</summary>
public sealed class StepResultCheckTests
{
    private static readonly ExportCatalog Catalog = CatalogText.Parse(GraphCatalogText.Valid).Catalog!;

    private static ExportOutcome Outcome(string type, string json) =>
        ExportResultCheck.Outcome("json/plain", Encoding.UTF8.GetBytes(json), Catalog.Get(type), new DateOnly(2026, 2, 10), "q", TimeSpan.FromSeconds(1));

    [Fact]
    public void Outcome_StepWithValues_SucceededWithTheValues()
    {
        var outcome = Outcome("materialize", """{"export_type":"materialize","objects":[],"skipped_reason":null,"values":{"version_id":"v_20260210_180000"}}""");

        Assert.Equal((ExportStatus.Succeeded, 0L), (outcome.Status, outcome.ObjectCount));
        Assert.Equal("v_20260210_180000", outcome.Values!["version_id"].GetString());
    }

    [Fact]
    public void Outcome_StepListingObjects_ContractViolation()
    {
        var outcome = Outcome("materialize", """{"export_type":"materialize","objects":[{"name":"v1/best/2026-02-10.json","bytes":1,"generation":null}],"skipped_reason":null}""");

        Assert.Equal(ExportErrorTypes.ContractViolation, outcome.ErrorType);
        Assert.Contains("a step writes no document", outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"values\":\"v_1\"", "values: expected an object of named values, found a JSON string")]
    [InlineData("\"values\":{\"versionid\":\"v_1\"}", "values: 'versionid' is not a value the row declares (version_id)")]
    [InlineData("\"values\":{\"version_id\":\"\\ud800\"}", "holds a string that is not valid text")]
    public void Outcome_BadValues_ContractViolationNamingTheField(string values, string problem)
    {
        var outcome = Outcome("materialize", $$"""{"export_type":"materialize","objects":[],"skipped_reason":null,{{values}}}""");

        Assert.Equal(ExportErrorTypes.ContractViolation, outcome.ErrorType);
        Assert.Contains(problem, outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Outcome_NoteOfTheExporter_InTheOutcome()
    {
        var outcome = Outcome("best", """{"export_type":"best","objects":[{"name":"v1/best/2026-02-10.json","bytes":1,"generation":null}],"skipped_reason":null,"note":"rebuilt: the warehouse changed"}""");

        Assert.Equal((ExportStatus.Succeeded, "rebuilt: the warehouse changed"), (outcome.Status, outcome.Note));
    }

    [Fact]
    public void Outcome_NoteNotAString_ContractViolation()
    {
        var outcome = Outcome("best", """{"export_type":"best","objects":[{"name":"v1/best/2026-02-10.json","bytes":1,"generation":null}],"skipped_reason":null,"note":7}""");

        Assert.Equal(ExportErrorTypes.ContractViolation, outcome.ErrorType);
        Assert.Contains("note: expected a string of at most 2000 characters", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Outcome_ValuesOverTheBound_ContractViolationNamingSizeAndBound()
    {
        var big = JsonSerializer.Serialize(new string('x', ExportActivityResult.MaxValuesBytes));
        var outcome = Outcome("materialize", $$$"""{"export_type":"materialize","objects":[],"skipped_reason":null,"values":{"version_id":{{{big}}}}}""");

        Assert.Equal(ExportErrorTypes.ContractViolation, outcome.ErrorType);
        Assert.Contains($"at most {ExportActivityResult.MaxValuesBytes}", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_RowTakingValuesAndARunValue_CarriesItsDependenciesValuesAndTheRun()
    {
        var plan = ExportPlanner.Plan(Catalog, new ExportRequest(["best"], "2026-02-10"), new DateTimeOffset(2026, 2, 10, 18, 0, 0, TimeSpan.Zero));
        var version = JsonSerializer.SerializeToElement("v_1");
        var ended = new Dictionary<string, ExportOutcome>
        {
            ["materialize"] = new("materialize", ExportStatus.Succeeded, null, 0, 1, 1) { Values = new Dictionary<string, JsonElement> { ["version_id"] = version } },
        };

        var input = ExportPlanner.Input(Catalog.Get("best"), plan, plan.Jobs.Single(j => j.Type == "best"), "wf-1", ended);

        Assert.Equal("v_1", input.Values!["materialize"]["version_id"].GetString());
        Assert.Equal(new ExportRunValues("2026-02-10T18:00:00.000000+00:00", "wf-1"), input.Run);
        using var wire = JsonDocument.Parse(JsonSerializer.Serialize(input));
        Assert.Equal("v_1", wire.RootElement.GetProperty("values").GetProperty("materialize").GetProperty("version_id").GetString());
        Assert.Equal("2026-02-10T18:00:00.000000+00:00", wire.RootElement.GetProperty("run").GetProperty("started_at").GetString());
        Assert.Equal("wf-1", wire.RootElement.GetProperty("run").GetProperty("workflow_id").GetString());
    }

    [Fact]
    public void Input_RowWithoutGraph_NoValuesNoRun()
    {
        var plan = ExportPlanner.Plan(Catalog, new ExportRequest(["scores"], "2026-02-10"), DateTimeOffset.UnixEpoch.AddYears(56));

        var json = JsonSerializer.Serialize(ExportPlanner.Input(Catalog.Get("scores"), plan, plan.Jobs.Single(), "wf-1"));

        Assert.DoesNotContain("\"values\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"run\"", json, StringComparison.Ordinal);
    }
}
