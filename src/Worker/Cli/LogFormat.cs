using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ExportFlows.Worker.Cli;

/// <summary>
/// Console logs as one line of text (default) or one JSON object per line for log shippers:
/// <c>Logging:Format</c> = <c>json</c> (env <c>Logging__Format=json</c>). Logs always go to standard error.
/// </summary>
public static class LogFormat
{
    public static bool IsJson(IConfiguration configuration) =>
        string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase);

    public static ILoggingBuilder AddExportFlowsConsole(this ILoggingBuilder logging, IConfiguration configuration, string timestampFormat)
    {
        if (IsJson(configuration))
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = timestampFormat;
            });
        }
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        // The console provider, wrapped: an expected activity failure logged by the SDK is one line, without its trace.
        var console = logging.Services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList();
        foreach (var descriptor in console)
        {
            logging.Services.Remove(descriptor);
        }
        logging.Services.AddSingleton<ILoggerProvider>(sp =>
            new ExpectedFailureLoggerProvider(ActivatorUtilities.CreateInstance<ConsoleLoggerProvider>(sp)));
        return logging;
    }
}
