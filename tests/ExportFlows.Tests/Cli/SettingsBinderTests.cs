using ExportFlows.Activities;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Cli;
using ExportFlows.Worker.Temporal;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Configuration;

namespace ExportFlows.Tests.Cli;

public sealed class SettingsBinderTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build();

    [Theory]
    [InlineData("20s", 20)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("00:00:20", 20)]
    [InlineData("1.00:00:00", 86400)]
    public void Bind_DurationInCatalogOrClockForm_Parsed(string text, int seconds)
    {
        var options = SettingsBinder.Bind<ExportFlowsOptions>(Settings(("ExportFlows:ExternalScheduleToStart", text)), ExportFlowsOptions.Section);

        Assert.Equal(TimeSpan.FromSeconds(seconds), options.ExternalScheduleToStart);
    }

    [Fact]
    public void Bind_TemporalDurations_CatalogFormParsed()
    {
        var settings = SettingsBinder.Bind<TemporalSettings>(Settings(("Temporal:PickupPatience", "5s"), ("Temporal:GracefulShutdown", "2m")), TemporalSettings.Section);

        Assert.Equal(TimeSpan.FromSeconds(5), settings.PickupPatience);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.GracefulShutdown);
    }

    [Theory]
    [InlineData("10GiB", 10L * 1024 * 1024 * 1024)]
    [InlineData("512 MiB", 512L * 1024 * 1024)]
    [InlineData("1.5TiB", 3L * 512 * 1024 * 1024 * 1024)]
    [InlineData("10737418240", 10737418240)]
    public void Bind_ByteSize_UnitsAccepted(string text, long bytes)
    {
        var options = SettingsBinder.Bind<ExportFlowsOptions>(Settings(("ExportFlows:MaxBytesBilledPerQuery", text)), ExportFlowsOptions.Section);

        Assert.Equal(bytes, options.MaxBytesBilledPerQuery);
    }

    [Theory]
    [InlineData("ExportFlows:ExternalScheduleToStart", "soon", "invalid setting ExportFlows__ExternalScheduleToStart 'soon': expected a duration such as 20s, 5m, 1h30m or 00:00:20")]
    [InlineData("ExportFlows:ExternalScheduleToStart", "30", "invalid setting ExportFlows__ExternalScheduleToStart '30': expected a duration")]
    [InlineData("ExportFlows:MaxBytesBilledPerQuery", "10GB", "invalid setting ExportFlows__MaxBytesBilledPerQuery '10GB': expected a number of bytes such as 10737418240 or 10GiB")]
    [InlineData("ExportFlows:BigQueryMaxPages", "many", "invalid setting ExportFlows__BigQueryMaxPages 'many': expected a whole number")]
    public void Bind_MalformedValue_NamesSettingValueAndForm(string key, string value, string expected)
    {
        var ex = Assert.Throws<InvalidExportRequestException>(() => SettingsBinder.Bind<ExportFlowsOptions>(Settings((key, value)), ExportFlowsOptions.Section));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_IntByteSize_UnitsAccepted()
    {
        var push = SettingsBinder.Bind<ExportFlows.Worker.PubSub.PubSubPushOptions>(Settings(("PubSub:MaxBodyBytes", "512KiB")), ExportFlows.Worker.PubSub.PubSubPushOptions.Section);

        Assert.Equal(512 * 1024, push.MaxBodyBytes);
    }

    [Fact]
    public void TryParse_ByteSizeOverflow_Refused()
    {
        Assert.False(ByteSize.TryParse("9000000PiB", out _));
        Assert.False(ByteSize.TryParse("0.3B", out _));
    }
}
