using System.Text.Json;
using ExportFlows.Worker.Cli;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using static ExportFlows.Tests.Catalog.CatalogText;

namespace ExportFlows.Tests.Catalog;

/// <summary>
/// A call chained to a second function (<c>then</c>), the first call's result as an argument (<c>{ result = true }</c>)
/// and a request value passed as a date (<c>{ date = "target_date" }</c>): read as written, seen by everything that
/// inspects a call's arguments, and every misuse named with its key and line.
/// </summary>
public sealed class ExporterCallChainParserTests
{
    private const string ChainRow = """

        [types.chain]
        kind = "external"
        step = true
        date = "target"
        policy = "short"
        call = { module = "ml.analysis.perf", function = "compute_for_date", args = [{ call = "shared.clients.pool.get_client" }, { date = "target_date" }], then = { function = "write_rows", args = [{ call = "shared.clients.pool.get_client" }, { result = true }] } }
        values = { rows_written = "result" }
        """;

    private static readonly string Valid = GraphCatalogText.Valid.Replace("\n[groups]", ChainRow + "\n\n[groups]", StringComparison.Ordinal);

    private static string With(params (string Old, string New)[] edits) => Edit(Valid, edits);

    private static CatalogError OneError(string text, string key)
    {
        var error = SingleError(text);
        Assert.Equal((LineOf(text, "function = \"compute_for_date\""), key), (error.Line, error.Key));
        return error;
    }

    private static ExporterArgument Client => new(null, null) { CallOf = "shared.clients.pool.get_client" };

    [Fact]
    public void Parse_Then_ReadWithTheCallsModuleTheResultAndTheDate()
    {
        var call = Parse(Valid).Catalog!.Get("chain").Call!;

        Assert.Equal(("ml.analysis.perf", "compute_for_date"), (call.Module, call.Function));
        Assert.Equal([Client, new ExporterArgument(null, null) { Date = "target_date" }], call.Args);
        var then = call.Then!;
        Assert.Equal(("ml.analysis.perf", "write_rows", "", "", 0), (then.Module, then.Function, then.Class, then.Method, then.Constructor.Count));
        Assert.Equal([Client, new ExporterArgument(null, null) { Result = true }], then.Args);
        Assert.Null(then.Then);
        Assert.Equal(4, call.Arguments.Count());
    }

    [Fact]
    public void ToString_Chain_BothCallsInOrderWithTheCondition()
    {
        var call = Parse(Valid).Catalog!.Get("chain").Call!;

        Assert.Equal("ml.analysis.perf.compute_for_date(shared.clients.pool.get_client(), date(target_date)) then, if it returned something, " +
            "ml.analysis.perf.write_rows(shared.clients.pool.get_client(), result)", call.ToString());
    }

    [Fact]
    public void PythonCall_Chain_AsThePostGradingFunctionWritesIt()
    {
        var call = Parse(With(("then = { function", "then = { module = \"ml.writers\", function"))).Catalog!.Get("chain").Call!;

        Assert.Equal("ml.writers", call.Then!.Module);
        Assert.Equal("result = compute_for_date(get_client(), date.fromisoformat(target_date)); if result: ml.writers.write_rows(get_client(), result)",
            CatalogPrinter.PythonCall(call));
        Assert.Equal("result = compute_for_date(get_client(), date.fromisoformat(target_date)); if result: write_rows(get_client(), result)",
            CatalogPrinter.PythonCall(Parse(Valid).Catalog!.Get("chain").Call!));
    }

    [Fact]
    public void CatalogJson_Chain_ThenAndTheNewArgumentForms()
    {
        var catalog = Parse(Valid).Catalog!;
        var view = new CatalogView(catalog, "exportflows", "exportflows-python", new HashSet<string>());

        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(CatalogJson.Document(view)));

        var call = doc.RootElement.GetProperty("types").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "chain").GetProperty("call");
        Assert.Equal("target_date", call.GetProperty("args")[1].GetProperty("date").GetString());
        var then = call.GetProperty("then");
        Assert.Equal(("ml.analysis.perf", "write_rows"), (then.GetProperty("module").GetString(), then.GetProperty("function").GetString()));
        Assert.True(then.GetProperty("args")[1].GetProperty("result").GetBoolean());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("types").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "discover")
            .GetProperty("call").GetProperty("then").ValueKind);
    }

    [Fact]
    public void TakenValues_ValueInThen_SeenByTheGraphCheck()
    {
        var text = With(("{ result = true }] }", "{ result = true }], kwargs = { models = { value = \"discover.models\" } } }"));

        var error = OneError(text, "types.chain.call");

        Assert.Contains("takes value 'discover.models' from a row it does not depend on: add \"discover\"", error.Message, StringComparison.Ordinal);
        var catalog = Parse(With(("{ result = true }] }", "{ result = true }], kwargs = { models = { value = \"discover.models\" } } }"),
            ("policy = \"short\"\ncall = { module = \"ml.analysis.perf\"", "policy = \"short\"\nafter = [\"discover\"]\ncall = { module = \"ml.analysis.perf\""))).Catalog!;
        Assert.Equal([new ProducedValue("discover", "models")], catalog.Get("chain").TakenValues());
    }

    [Fact]
    public void Input_RunValueOnlyInThen_TheRunIsCarried()
    {
        var catalog = Parse(With(("{ result = true }] }", "{ result = true }], kwargs = { version = { run = \"started_at\" } } }"))).Catalog!;
        var plan = ExportPlanner.Plan(catalog, new ExportRequest(["chain"], "2026-02-10"), new DateTimeOffset(2026, 2, 10, 18, 0, 0, TimeSpan.Zero));

        var input = ExportPlanner.Input(catalog.Get("chain"), plan, plan.Jobs.Single(), "wf-1");

        Assert.NotNull(input.Run);
        Assert.Null(ExportPlanner.Input(Parse(Valid).Catalog!.Get("chain"), plan, plan.Jobs.Single(), "wf-1").Run);
    }

    [Fact]
    public void Parse_ResultInTheFirstCallsArgs_RefusedNamingThePath()
    {
        var error = OneError(With(("{ date = \"target_date\" }], then", "{ result = true }], then")), "types.chain.call.args.result");
        Assert.Equal("{ result = true } is the first call's return value: it is allowed only in the args and kwargs of then", error.Message);
    }

    [Fact]
    public void Parse_ResultInTheFirstCallsKwargs_RefusedNamingThePath()
    {
        var error = OneError(With(("{ date = \"target_date\" }], then", "{ date = \"target_date\" }], kwargs = { rows = { result = true } }, then")),
            "types.chain.call.kwargs.rows.result");
        Assert.Contains("allowed only in the args and kwargs of then", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ResultAsADefaultInThen_Refused()
    {
        var text = With(("{ result = true }] }", "{ result = true }], kwargs = { m = { value = \"discover.models\", default = { result = true } } } }"),
            ("policy = \"short\"\ncall = { module = \"ml.analysis.perf\"", "policy = \"short\"\nafter = [\"discover\"]\ncall = { module = \"ml.analysis.perf\""));

        var error = OneError(text, "types.chain.call.then.kwargs.m.default.result");

        Assert.Contains("allowed only in the args and kwargs of then", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ResultNotTrue_Refused()
    {
        var error = OneError(With(("{ result = true }", "{ result = false }")), "types.chain.call.then.args.result");
        Assert.Equal("write { result = true } (the first call's return value)", error.Message);
    }

    [Fact]
    public void Parse_DateOfAnotherRequestValue_RefusedListingTheAllowedNames()
    {
        var error = OneError(With(("{ date = \"target_date\" }", "{ date = \"requested_at\" }")), "types.chain.call.args.date");
        Assert.Equal("'requested_at' is no date value: use one of target_date (the request value passed as a datetime.date)", error.Message);
    }

    [Fact]
    public void Parse_DateWithAnotherKey_Refused()
    {
        var error = OneError(With(("{ date = \"target_date\" }", "{ date = \"target_date\", format = \"%Y\" }")), "types.chain.call.args.format");
        Assert.Equal("unknown key; expected one of date", error.Message);
    }

    [Fact]
    public void Parse_ThenWithAClass_RefusedAsAFunctionOnly()
    {
        var error = OneError(With(("then = { function = \"write_rows\"", "then = { class = \"Writer\", function = \"write_rows\"")), "types.chain.call.then.class");
        Assert.Equal("then calls a module-level function of the original (function = \"write_rows\", module defaults to the call's): remove class, method and constructor", error.Message);
    }

    [Fact]
    public void Parse_ThenWithoutFunction_Refused()
    {
        var error = OneError(With(("then = { function = \"write_rows\", ", "then = { ")), "types.chain.call.then.function");
        Assert.StartsWith("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ThenFunctionNotAnIdentifier_Refused()
    {
        var error = OneError(With(("function = \"write_rows\"", "function = \"write-rows\"")), "types.chain.call.then.function");
        Assert.Equal("'write-rows' is not a Python identifier", error.Message);
    }

    [Fact]
    public void Parse_ThenUnknownKeyOrNestedThen_Refused()
    {
        var error = OneError(With(("then = { function = \"write_rows\"", "then = { then = { function = \"x\" }, function = \"write_rows\"")), "types.chain.call.then.then");
        Assert.Equal("unknown key; expected one of module, function, args, kwargs, class, method, constructor", error.Message);
    }

    [Fact]
    public void Parse_ThenModuleNotAModulePath_Refused()
    {
        var error = OneError(With(("then = { function", "then = { module = \"ml..x\", function")), "types.chain.call.then.module");
        Assert.Equal("'ml..x' is not a Python module path (dotted identifiers)", error.Message);
    }

    [Fact]
    public void Parse_ThenNotATable_Refused()
    {
        var error = OneError(With(("then = { function = \"write_rows\", args = [{ call = \"shared.clients.pool.get_client\" }, { result = true }] }", "then = \"write_rows\"")),
            "types.chain.call.then");
        Assert.Contains("a table", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownArgumentTable_NamesEveryForm()
    {
        var error = OneError(With(("{ date = \"target_date\" }", "{ day = \"target_date\" }")), "types.chain.call.args");
        Assert.Equal("an argument table is { const = … }, { value = \"row.name\" }, { run = \"started_at\" }, { call = \"module.function\" }, " +
            "{ date = \"target_date\" } or, in then, { result = true }", error.Message);
    }
}
