using ExportFlows.Activities;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ExportFlows.Tests.Cli;

public sealed class LogFormatTests
{
    private static string FormatterOf(string? format)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:Format"] = format }).Build();
        var context = new CliContext(TextWriter.Null, TextWriter.Null);
        using var services = context.Services(new ExportFlowsOptions { Warehouse = "duckdb:" + ExportHarness.HandFixture }, verbose: true, configuration: configuration);
        return services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName!;
    }

    [Theory]
    [InlineData("json", ConsoleFormatterNames.Json)]
    [InlineData("JSON", ConsoleFormatterNames.Json)]
    [InlineData(null, ConsoleFormatterNames.Simple)]
    [InlineData("text", ConsoleFormatterNames.Simple)]
    public void Services_LoggingFormat_ChoosesTheConsoleFormatter(string? format, string expected)
    {
        Assert.Equal(expected, FormatterOf(format));
    }
}
