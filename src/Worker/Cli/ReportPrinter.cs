using System.Globalization;
using System.Text.Json;
using ExportFlows.Workflows.Contracts;

namespace ExportFlows.Worker.Cli;

public static class ReportPrinter
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Objects listed under the table for an export that wrote several; the rest are counted.</summary>
    public const int ListedObjects = 5;

    public static void Print(ExportReport report, TextWriter output, bool json, string? extra = null)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
            return;
        }
        var rows = report.Exports.Select(e => new[]
        {
            e.Type, ObjectColumn(e), e.Bytes.ToString(CultureInfo.InvariantCulture),
            e.DurationSeconds.ToString("0.000", CultureInfo.InvariantCulture) + "s",
            e.Attempts > 0 ? e.Attempts.ToString(CultureInfo.InvariantCulture) : "-",
            e.Cost?.Queries.ToString(CultureInfo.InvariantCulture) ?? "-", Size(e.Cost?.BytesProcessed), Size(e.Cost?.BytesBilled), e.Status,
        }).ToList();
        WriteTable(output, ["TYPE", "OBJECT", "BYTES", "DURATION", "ATTEMPTS", "QUERIES", "PROCESSED", "BILLED", "STATUS"], rows);
        foreach (var many in report.Exports.Where(e => e.Objects is { Count: > 1 }))
        {
            output.WriteLine($"{many.Type}: {many.Objects!.Count} objects");
            foreach (var name in many.Objects.Take(ListedObjects))
            {
                output.WriteLine($"  {name.Name}");
            }
            if (many.Objects.Count > ListedObjects)
            {
                output.WriteLine($"  … and {many.Objects.Count - ListedObjects} more");
            }
        }
        foreach (var produced in report.Exports.Where(e => e.Values is { Count: > 0 }))
        {
            output.WriteLine($"{produced.Type}: values {string.Join(", ", produced.Values!.Select(v => $"{v.Key} = {v.Value.GetRawText()}"))}");
        }
        foreach (var notRun in report.Exports.Where(e => e.Status == ExportStatus.NotRun))
        {
            output.WriteLine($"{notRun.Type}: {notRun.Error}");
        }
        foreach (var noted in report.Exports.Where(e => !string.IsNullOrWhiteSpace(e.Note)))
        {
            output.WriteLine($"{noted.Type}: {noted.Note}");
        }
        foreach (var skipped in report.Exports.Where(e => e.Status == ExportStatus.Skipped && !string.IsNullOrWhiteSpace(e.Error)))
        {
            output.WriteLine($"{skipped.Type}: skipped: {skipped.Error}");
        }
        if (report.Cost is { } cost)
        {
            output.WriteLine(CostLine(cost));
        }
        if (report.Catalog is { } fingerprint)
        {
            output.WriteLine($"catalog: fingerprint {fingerprint}");
        }
        if (extra is not null)
        {
            output.WriteLine(extra);
        }
        output.WriteLine(report.Summary());
    }

    /// <summary>Columns padded to their widest cell, two spaces apart, no trailing blanks.</summary>
    public static void WriteTable(TextWriter output, IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        output.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
    }

    /// <summary>The run's total cost in words, saying whose figures they are.</summary>
    public static string CostLine(ExportCost cost) => cost.Source switch
    {
        ExportCost.BigQuery => $"cost: {Count(cost.Queries)} BigQuery job(s): {Size(cost.BytesProcessed)} processed, {Size(cost.BytesBilled)} billed, " +
            $"{Count(cost.SlotMs)} slot-ms, {Count(cost.CacheHits ?? 0)} cache hit(s), {Count(cost.RowsRead)} rows (BigQuery's job statistics)",
        ExportCost.DuckDb => $"cost: {Count(cost.Queries)} DuckDB queries: {Count(cost.RowsRead)} rows, {Size(cost.FileBytesRead)} of table files parsed " +
            "(measured by the embedded warehouse; bytes processed and billed are BigQuery's figures: DuckDB bills nothing)",
        ExportCost.NoQuery => "cost: no query ran",
        _ => $"cost: {Count(cost.Queries)} queries ({cost.Source})",
    };

    private static string Count(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";

    private static string Size(long? bytes) => bytes is { } known ? Activities.Warehouse.ByteSize.Text(known) : "-";

    /// <summary>The object, or the first of several with the count of the others.</summary>
    private static string ObjectColumn(ExportOutcome outcome) => outcome.Objects is { Count: > 1 } objects
        ? $"{objects[0].Name} (+{objects.Count - 1} more)"
        : outcome.ObjectName ?? (outcome.Step ? "(step)" : "-");
}
