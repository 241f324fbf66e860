using System.Text.Json;
using ExportFlows.Tests.Catalog;
using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Cli;

/// <summary><c>catalog show</c> prints the graph of rows: in the text, in JSON and as a Mermaid flowchart.</summary>
public sealed class CatalogGraphCliTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string CatalogFile()
    {
        var file = Path.Combine(_temp.Path, "graph.toml");
        File.WriteAllText(file, GraphCatalogText.Valid);
        return file;
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task CatalogShow_GraphCatalog_TextListsEachRowsDependenciesAndValues()
    {
        var result = await CliRunner.RunAsync("catalog", "show", "--catalog", CatalogFile());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("  materialize  external step, date target", result.Output, StringComparison.Ordinal);
        Assert.Contains("    call      shared.config.models: discover_models(get_client(), target_date)", result.Output, StringComparison.Ordinal);
        Assert.Contains("version_id=materialize.version_id or started_at.strftime('v_%Y%m%d_%H%M%S')", result.Output, StringComparison.Ordinal);
        Assert.Contains("    values    version_id = result.version_id", result.Output, StringComparison.Ordinal);
        Assert.Contains("  strict ← materialize (requires); takes materialize.version_id\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("  best ← materialize; takes materialize.version_id\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CatalogShow_Mermaid_StepsRoundedRequiresSolidAfterDottedValuesAsLabels()
    {
        var result = await CliRunner.RunAsync("catalog", "show", "--catalog", CatalogFile(), "--mermaid");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("flowchart LR", lines[0]);
        Assert.Contains("    discover([\"discover\"])", lines);
        Assert.Contains("    best[\"best\"]", lines);
        Assert.Contains("    discover -.->|system_ids| materialize", lines);
        Assert.Contains("    materialize -.->|version_id| best", lines);
        Assert.Contains("    materialize -->|version_id| strict", lines);
        Assert.Contains("    discover --> graded", lines);
    }

    [Fact]
    public async Task CatalogShow_Json_RowsCarryStepDependenciesValuesAndArgumentForms()
    {
        var result = await CliRunner.RunAsync("catalog", "show", "--catalog", CatalogFile(), "--json");

        using var doc = JsonDocument.Parse(result.Output);
        var rows = doc.RootElement.GetProperty("types").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.True(rows["discover"].GetProperty("step").GetBoolean());
        Assert.Equal("discover_models", rows["discover"].GetProperty("call").GetProperty("function").GetString());
        Assert.Equal("shared.clients.pool.get_client", rows["discover"].GetProperty("call").GetProperty("args")[0].GetProperty("call").GetString());
        Assert.Equal("materialize", rows["strict"].GetProperty("requires")[0].GetString());
        Assert.Equal("result.version_id", rows["materialize"].GetProperty("values").GetProperty("version_id").GetString());
        var version = rows["best"].GetProperty("call").GetProperty("kwargs").GetProperty("version_id");
        Assert.Equal(("materialize.version_id", "started_at"), (version.GetProperty("produced").GetString(), version.GetProperty("default").GetProperty("run").GetString()));
    }

    [Fact]
    public async Task ExportDryRun_RowWithDependencies_PlanListsThemFirstAndRunsNothing()
    {
        var result = await CliRunner.RunAsync("export", "--dry-run", "--catalog", CatalogFile(), "--types", "strict", "--date", "2026-02-10",
            "--store", "dir:" + Path.Combine(_temp.Path, "out"));

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("plan for 2026-02-10 (catalog ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("3 row(s), 2 brought in as dependencies", lines[0], StringComparison.Ordinal);
        Assert.Matches("^discover +step +dependency +not enabled +- +-$", lines[2]);
        Assert.Matches("^materialize +step +dependency +not enabled +discover +discover.system_ids$", lines[3]);
        Assert.Matches(@"^strict +external +requested +not enabled +materialize \(requires\) +materialize.version_id$", lines[4]);
        Assert.Equal("dry run: nothing was run or written", lines[^1]);
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "out")) && Directory.EnumerateFileSystemEntries(Path.Combine(_temp.Path, "out")).Any());
    }
}
