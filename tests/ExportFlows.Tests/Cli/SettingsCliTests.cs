using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Cli;

[Collection(ProcessEnvironmentCollection.Name)]
public sealed class SettingsCliTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Export_MalformedDurationSetting_ExitsTwoNamingIt()
    {
        Environment.SetEnvironmentVariable("ExportFlows__ExternalScheduleToStart", "soon");
        try
        {
            var result = await CliRunner.RunAsync("export", "--in-process", "--date", "2026-02-03", "--types", "subset-picks",
                "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + _temp.Sub("out"));

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("error: invalid setting ExportFlows__ExternalScheduleToStart 'soon': expected a duration such as 20s", result.Error, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(_temp.Sub("out"), "v1")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("ExportFlows__ExternalScheduleToStart", null);
        }
    }

    [Fact]
    public async Task Export_SettingsInCatalogForm_Run()
    {
        Environment.SetEnvironmentVariable("ExportFlows__ExternalScheduleToStart", "20s");
        Environment.SetEnvironmentVariable("ExportFlows__MaxBytesBilledPerQuery", "10GiB");
        try
        {
            var result = await CliRunner.RunAsync("export", "--in-process", "--date", "2026-02-03", "--types", "subset-picks",
                "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + _temp.Sub("out"));

            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains("1 of 1 exports written", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ExportFlows__ExternalScheduleToStart", null);
            Environment.SetEnvironmentVariable("ExportFlows__MaxBytesBilledPerQuery", null);
        }
    }

    public void Dispose() => _temp.Dispose();
}
