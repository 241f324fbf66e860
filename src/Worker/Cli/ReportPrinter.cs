using System.Globalization;
using System.Text.Json;
using ExportFlows.Workflows.Contracts;

namespace ExportFlows.Worker.Cli;

public static class ReportPrinter
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Print(ExportReport report, TextWriter output, bool json, string? extra = null)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
            return;
        }
        var rows = report.Exports.Select(e => new[]
        {
            e.Type, e.ObjectName ?? "-", e.Bytes.ToString(CultureInfo.InvariantCulture),
            e.DurationSeconds.ToString("0.000", CultureInfo.InvariantCulture) + "s", e.Attempts.ToString(CultureInfo.InvariantCulture), e.Status,
        }).ToList();
        string[] header = ["TYPE", "OBJECT", "BYTES", "DURATION", "ATTEMPTS", "STATUS"];
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        output.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
        if (extra is not null)
        {
            output.WriteLine(extra);
        }
        output.WriteLine(report.Summary());
    }
}
