using ExportFlows.Tests.Support;
using ExportFlows.Worker.Temporal;

namespace ExportFlows.Tests.Cli;

public sealed class TemporalAddressTests
{
    [Theory]
    [InlineData("localhost:7233", true)]
    [InlineData("[::1]:7233", true)]
    [InlineData("localhost", false)]
    [InlineData("localhost:", false)]
    [InlineData("[::1]", false)]
    [InlineData("localhost:70000", false)]
    public void HasPort_Address_TrueOnlyWithAPort(string address, bool expected) => Assert.Equal(expected, TemporalSettings.HasPort(address));

    [Fact]
    public async Task Export_TemporalHostWithoutPort_ExitTwoNamingThePort()
    {
        var result = await CliRunner.RunAsync("export", "--temporal", "localhost", "--date", "2026-02-03", "--as-of", "2026-02-03");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: the Temporal address 'localhost' has no port: write HOST:PORT, e.g. localhost:7233 (--temporal or Temporal__Address)", result.Error.Trim());
    }
}
