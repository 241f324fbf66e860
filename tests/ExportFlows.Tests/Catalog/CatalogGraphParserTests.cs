using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;
using static ExportFlows.Tests.Catalog.CatalogText;

namespace ExportFlows.Tests.Catalog;

/// <summary>Dependencies, steps, values and object owners: read as written, and every mistake named with its line.</summary>
public sealed class CatalogGraphParserTests
{
    private static CatalogError OneError(string text, string lineFragment, string key)
    {
        var error = SingleError(text);
        Assert.Equal((LineOf(text, lineFragment), key), (error.Line, error.Key));
        return error;
    }

    [Fact]
    public void Parse_GraphRows_StepsDependenciesValuesAndCallFormsRead()
    {
        var catalog = Parse(GraphCatalogText.Valid).Catalog!;

        var discover = catalog.Get("discover");
        Assert.True(discover.IsStep);
        Assert.Empty(discover.Objects);
        Assert.Equal(("shared.config.models", "discover_models"), (discover.Call!.Module, discover.Call.Function));
        Assert.Equal("shared.clients.pool.get_client", discover.Call.Args[0].CallOf);
        Assert.Equal(new Dictionary<string, string> { ["models"] = "result", ["system_ids"] = "result.all_system_ids" }, discover.Values);
        Assert.Equal("shared.config.models.discover_models(shared.clients.pool.get_client(), target_date)", discover.Call.ToString());

        var materialize = catalog.Get("materialize");
        Assert.Equal(["discover"], materialize.After);
        Assert.Empty(materialize.Requires);
        var ids = materialize.Call!.Kwargs["active_system_ids"].Produced!;
        Assert.Equal(("discover", "system_ids", true, false), (ids.Row, ids.Name, ids.Optional, ids.Required));

        var best = catalog.Get("best").Call!.Kwargs["version_id"].Produced!;
        Assert.Equal(("materialize", "version_id", "started_at", "v_%Y%m%d_%H%M%S"), (best.Row, best.Name, best.Default!.Run, best.Default.RunFormat));
        Assert.Equal(["materialize"], catalog.Get("strict").Requires);
        Assert.True(catalog.Get("strict").Call!.Kwargs["version_id"].Produced!.Required);
    }

    [Fact]
    public void Parse_UnknownDependency_NamesTheRowAndItsLine()
    {
        var error = OneError(GraphCatalogText.With(("after = [\"materialize\"]", "after = [\"materialise\"]")), "after = [\"materialise\"]", "types.best.after");
        Assert.Contains("unknown row 'materialise'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GroupAsDependency_Refused()
    {
        var error = OneError(GraphCatalogText.With(("requires = [\"materialize\"]", "requires = [\"materialize\", \"all\"]")), "requires = [\"materialize\", \"all\"]", "types.strict.requires");
        Assert.Contains("groups are not rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Cycle_NamesEveryRowOfTheCycleWithItsLine()
    {
        var text = GraphCatalogText.With(("step = true\ndate = \"target\"\npolicy = \"short\"\ncall = { module = \"shared.config.models\"",
            "step = true\ndate = \"target\"\npolicy = \"short\"\nafter = [\"best\"]\ncall = { module = \"shared.config.models\""));

        var error = SingleError(text);

        Assert.Equal("types.discover.after", error.Key);
        Assert.Equal(LineOf(text, "after = [\"best\"]"), error.Line);
        Assert.Contains($"dependency cycle: discover (line {LineOf(text, "after = [\"best\"]")}) → best (line {LineOf(text, "after = [\"materialize\"]")}) → " +
            $"materialize (line {LineOf(text, "after = [\"discover\"]")}) → discover", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RowDependsOnItself_Refused()
    {
        var error = OneError(GraphCatalogText.With(("requires = [\"materialize\"]", "requires = [\"materialize\", \"strict\"]")), "requires = [\"materialize\", \"strict\"]", "types.strict.requires");
        Assert.Contains("names the row itself", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValueFromARowThatIsNoDependency_Refused()
    {
        var text = GraphCatalogText.With(("requires = [\"materialize\"]", "requires = [\"discover\"]"));
        var error = OneError(text, "StrictExporter", "types.strict.call");
        Assert.Contains("takes value 'materialize.version_id' from a row it does not depend on: add \"materialize\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValueTheProducerDoesNotDeclare_NamesWhatItDeclares()
    {
        var text = GraphCatalogText.With(("{ value = \"materialize.version_id\" }", "{ value = \"materialize.version\" }"));
        var error = SingleError(text);
        Assert.Equal("types.strict.call", error.Key);
        Assert.Contains("takes value 'version' that row 'materialize' does not declare (it declares version_id)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StepWithObjects_Refused()
    {
        var text = GraphCatalogText.With(("after = [\"discover\"]\ncall", "after = [\"discover\"]\nobjects = [{ path = \"v1/m.json\", cache_control = \"x\" }]\ncall"));
        var error = OneError(text, "v1/m.json", "types.materialize.objects");
        Assert.Contains("a step writes no document", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RunValueUnknown_NamesTheRunValues()
    {
        var error = SingleError(GraphCatalogText.With(("{ run = \"started_at\", format", "{ run = \"started\", format")));
        Assert.Equal("types.best.call.kwargs.version_id.default.run", error.Key);
        Assert.Contains("write \"started_at\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FunctionAndClassTogether_Refused()
    {
        var error = SingleError(GraphCatalogText.With(("function = \"discover_models\"", "function = \"discover_models\", class = \"X\"")));
        Assert.Equal("types.discover.call.function", error.Key);
    }

    [Fact]
    public void Parse_TwoRowsDeclaringOneObject_RefusedNamingBothRowsAndLines()
    {
        var text = GraphCatalogText.With(("path = \"v1/strict/{date}.json\"", "path = \"v1/best/{date}.json\""));

        var error = SingleError(text);

        Assert.Equal(("types.strict.objects", LineOf(text, "types.strict]") + 5), (error.Key, error.Line));
        Assert.Contains($"'v1/best/{{date}}.json' is also written by row 'best' (line {LineOf(text, "types.best]") + 5})", error.Message, StringComparison.Ordinal);
        Assert.Contains("replaces = [\"best\"]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoRowsOneObjectOneReplacingTheOther_AcceptedAndNeverEnabledTogether()
    {
        var text = GraphCatalogText.With(("path = \"v1/strict/{date}.json\"", "path = \"v1/best/{date}.json\""),
            ("requires = [\"materialize\"]", "requires = [\"materialize\"]\nreplaces = [\"best\"]"));

        var catalog = Parse(text).Catalog!;

        Assert.Equal(["best"], catalog.Get("strict").Replaces);
        Assert.Contains("strict", ExportPlanner.EnabledTypes(catalog, "strict,picks"));
        var refused = Assert.Throws<InvalidExportRequestException>(() => ExportPlanner.EnabledTypes(catalog, "best,strict"));
        Assert.Contains("'strict' replaces 'best'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingPolicy_ReportedAtTheRowsLineLikeEveryMissingKey()
    {
        var text = With(("kind = \"external\"\ndate = \"target\"\npolicy = \"short\"\n", "kind = \"external\"\ndate = \"target\"\n"));

        var error = SingleError(text);

        Assert.Equal(("types.scores.policy", LineOf(text, "kind = \"external\"")), (error.Key, error.Line));
        Assert.StartsWith($"{Source}:{error.Line}: types.scores.policy: missing", error.ToString(), StringComparison.Ordinal);
    }
}
