using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

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
        return logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
