namespace ExportFlows.Activities.Warehouse;

/// <summary>Read side: runs a parameterized query and returns typed rows.</summary>
public interface IWarehouse
{
    /// <summary>A short description for logs and reports, e.g. <c>duckdb:/data/sample</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Where the data is, as far as it decides what a query answers: the same identity and table names read the same
    /// tables (the BigQuery endpoint and the project holding the datasets, the DuckDB folder). Part of the key of a
    /// document left in place because its inputs did not change.
    /// </summary>
    string Identity { get; }

    Task<IReadOnlyList<WarehouseRow>> QueryAsync(WarehouseQuery query, CancellationToken cancellationToken = default);

    /// <summary>Throws <see cref="MissingTableException"/> naming the first table or column that is absent.</summary>
    Task VerifyTablesAsync(IEnumerable<WarehouseTable> tables, CancellationToken cancellationToken = default);

    /// <summary>
    /// When the table's data last changed, from metadata that runs no query (BigQuery's <c>tables.get</c>
    /// <c>lastModifiedTime</c>, the table file's modification time on DuckDB); null when the warehouse cannot tell.
    /// </summary>
    Task<DateTimeOffset?> GetLastModifiedAsync(WarehouseTable table, CancellationToken cancellationToken = default);
}

public enum ParameterType
{
    Date,
    String,
    Int64,
    Float64,
    Bool,
}

public sealed record QueryParameter(string Name, ParameterType Type, object? Value)
{
    public static QueryParameter Date(string name, DateOnly value) => new(name, ParameterType.Date, value);
    public static QueryParameter String(string name, string value) => new(name, ParameterType.String, value);
    public static QueryParameter Int64(string name, long value) => new(name, ParameterType.Int64, value);
    public static QueryParameter Float64(string name, double value) => new(name, ParameterType.Float64, value);
    public static QueryParameter Bool(string name, bool value) => new(name, ParameterType.Bool, value);
}

/// <summary>
/// A query in the portable dialect of <see cref="SqlDialect"/>: tables written as <c>{dataset.table}</c>,
/// parameters as <c>@name</c>. <paramref name="Tables"/> lists the tables it reads so a missing one is reported by name.
/// </summary>
public sealed record WarehouseQuery(string Name, string Sql, IReadOnlyList<WarehouseTable> Tables, IReadOnlyList<QueryParameter> Parameters)
{
    /// <summary>Result columns that identify a row in an error message (e.g. <c>player_lookup</c>, <c>game_date</c>).</summary>
    public IReadOnlyList<string> RowKey { get; init; } = [];

    /// <summary>
    /// <c>dataset.table.column</c> of each result column that is not the same-named column of the first of
    /// <see cref="Tables"/> (a join's column, a renamed one).
    /// </summary>
    public IReadOnlyDictionary<string, string> ColumnSources { get; init; } = new Dictionary<string, string>();

    /// <summary>Where a result column comes from, for error messages: <c>dataset.table.column</c>.</summary>
    public string SourceOf(string column) =>
        ColumnSources.TryGetValue(column, out var source) ? source
        : Tables.Count > 0 ? $"{Tables[0].QualifiedName}.{column}"
        : $"column '{column}' of query '{Name}'";
}

/// <summary>A warehouse failure whose message says what to fix (missing table file, missing column, query error).</summary>
public class WarehouseException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A table or column the exporters need is absent: not retryable.</summary>
public sealed class MissingTableException(string message) : WarehouseException(message)
{
    public const string ErrorType = "MissingTable";
}

/// <summary>
/// A warehouse value that cannot be used: unparsable, unrepresentable, or NULL where a value is required. The message
/// names the table, column and row; retrying cannot help, the row must be fixed.
/// </summary>
public sealed class InvalidWarehouseDataException(string source, string rowKey, string problem)
    : WarehouseException($"invalid warehouse data in {source}{(rowKey.Length == 0 ? "" : $" (row {rowKey})")}: {problem}; fix the row in the warehouse, a retry cannot help")
{
    public const string ErrorType = "InvalidWarehouseData";

    /// <summary>Where the value is: <c>dataset.table.column</c>.</summary>
    public string Column { get; } = source;

    /// <summary>The row's key columns and values, e.g. <c>player_lookup=alpha, game_date=2026-02-03</c>; empty if unknown.</summary>
    public string RowKey { get; } = rowKey;
}

/// <summary>
/// BigQuery refused a query because it would bill more than the per-query budget (<c>maximumBytesBilled</c>): nothing
/// was billed, and no retry can help until the budget or the query changes.
/// </summary>
public sealed class QueryOverBudgetException(string query, long? estimate, long budget)
    : WarehouseException($"query '{query}' would bill {(estimate is { } bytes ? ByteSize.Text(bytes) + $" ({bytes} bytes)" : "an unknown number of bytes")}, " +
        $"more than the budget of {ByteSize.Text(budget)} ({budget} bytes) per query (ExportFlows__MaxBytesBilledPerQuery); BigQuery refused it and billed nothing. " +
        "Check whether the data really grew that much, then raise the budget, or fix the query")
{
    public const string ErrorType = Workflows.Planning.ExportErrorTypes.QueryOverBudget;

    public long? Estimate { get; } = estimate;

    public long Budget { get; } = budget;
}

/// <summary>Byte counts for people: binary units (BigQuery bills by the TiB).</summary>
public static class ByteSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>A whole number of bytes, or a number with a binary unit (<c>10GiB</c>, <c>1.5 TiB</c>, <c>512MiB</c>).</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var trimmed = text?.Trim() ?? "";
        if (long.TryParse(trimmed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bytes))
        {
            return true;
        }
        for (var unit = Units.Length - 1; unit > 0; unit--)
        {
            if (trimmed.EndsWith(Units[unit], StringComparison.OrdinalIgnoreCase) &&
                decimal.TryParse(trimmed[..^Units[unit].Length].TrimEnd(), System.Globalization.NumberStyles.AllowDecimalPoint,
                    System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                var scaled = number * (decimal)Math.Pow(1024, unit);
                if (scaled > long.MaxValue || scaled != decimal.Truncate(scaled))
                {
                    return false;
                }
                bytes = (long)scaled;
                return true;
            }
        }
        return false;
    }

    public static string Text(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }
}
