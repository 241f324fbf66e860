using System.Text.RegularExpressions;
using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Cli;

/// <summary>The README's command synopsis says exactly what <c>--help</c> offers, verb by verb.</summary>
public sealed partial class ReadmeSynopsisTests
{
    [GeneratedRegex(@"(?<![\w-])(--[a-z][a-z-]*|-v)\b")]
    private static partial Regex OptionName();

    private static HashSet<string> Options(string text) =>
        OptionName().Matches(text).Select(m => m.Value == "-v" ? "--verbose" : m.Value).Where(o => o != "--help").ToHashSet(StringComparer.Ordinal);

    private static string Synopsis(string verb)
    {
        var readme = File.ReadAllText(RepositoryFiles.PathOf("README.md"));
        var block = readme[readme.IndexOf("## Commands", StringComparison.Ordinal)..];
        block = block[(block.IndexOf("```", StringComparison.Ordinal) + 3)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)];
        var lines = block.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith($"exportflows {verb} ", StringComparison.Ordinal) || l == $"exportflows {verb}");
        Assert.True(start >= 0, $"README synopsis has no line for '{verb}'");
        return string.Join(" ", lines.Skip(start).TakeWhile((l, i) => i == 0 || l.StartsWith(' ')));
    }

    [Theory]
    [InlineData("export")]
    [InlineData("worker")]
    [InlineData("setup")]
    [InlineData("backfill")]
    [InlineData("status")]
    [InlineData("sample-data")]
    public async Task Synopsis_Verb_SameOptionsAsHelp(string verb)
    {
        var help = await CliRunner.RunAsync(verb, "--help");

        Assert.Equal(Options(help.Output).Order(), Options(Synopsis(verb)).Order());
    }

    [Fact]
    public async Task SampleDataJson_SmallSeason_OneDocumentWithTheRowsWritten()
    {
        using var temp = new TempFolder();

        var result = await CliRunner.RunAsync("sample-data", "--out", temp.Sub("sample"), "--days", "3", "--json");

        Assert.Equal(0, result.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(result.Output);
        Assert.Equal("2025-10-23", doc.RootElement.GetProperty("to").GetString());
        Assert.True(doc.RootElement.GetProperty("rows").GetProperty("nba_predictions.player_prop_predictions").GetInt32() > 100);
        Assert.True(File.Exists(temp.Sub("sample/nba_predictions.player_prop_predictions.csv")));
    }

    [Fact]
    public void Documentation_StandsAlone_NoPathOutsideTheRepository()
    {
        var files = Directory.GetFiles(RepositoryFiles.PathOf("docs"), "*.md").Append(RepositoryFiles.PathOf("README.md"));

        foreach (var file in files)
        {
            Assert.DoesNotContain("../shared", File.ReadAllText(file), StringComparison.Ordinal);
        }
        Assert.Contains("docs/behaviour.md", File.ReadAllText(RepositoryFiles.PathOf("README.md")), StringComparison.Ordinal);
    }
}
