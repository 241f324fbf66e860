using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Cli;

public sealed class DidYouMeanTests
{
    [Theory]
    [InlineData("exprot", "export")]
    [InlineData("--dat", "--date")]
    [InlineData("--in-proces", "--in-process")]
    [InlineData("subset-pick", "subset-picks")]
    [InlineData("Subset-Picks", "subset-picks")]
    [InlineData("zzz", null)]
    [InlineData("export", null)]          // the name itself: nothing to suggest
    public void Closest_Misspelling_TheNameMeantOrNone(string given, string? expected)
    {
        Assert.Equal(expected, NameSuggestion.Closest(given, ["export", "--date", "--in-process", "subset-picks", "subset-performance", "status"]));
    }

    [Theory]
    [InlineData("did you mean 'export'?", "exprot")]
    [InlineData("did you mean '--date'?", "export", "--dat", "2026-02-03")]
    [InlineData("did you mean 'show'?", "schedules", "shwo")]
    [InlineData("did you mean 'subset-picks'?", "export", "--in-process", "--types", "subset-pick")]
    public async Task Run_MisspeltVerbOptionOrType_ExitTwoWithTheSuggestion(string suggestion, params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(suggestion, result.Error, StringComparison.Ordinal);
    }
}
