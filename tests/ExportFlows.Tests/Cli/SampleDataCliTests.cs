using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Cli;

public sealed class SampleDataCliTests
{
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
}
