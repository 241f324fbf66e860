namespace ExportFlows.Activities.Warehouse;

/// <summary>Read side: runs a parameterized query and returns typed rows.</summary>
public interface IWarehouse
{
    /// <summary>A short description for logs and reports, e.g. <c>duckdb:/data/sample</c>.</summary>
    string Description { get; }

    Task<IReadOnlyList<WarehouseRow>> QueryAsync(WarehouseQuery query, CancellationToken cancellationToken = default);

    /// <summary>Throws <see cref="MissingTableException"/> naming the first table or column that is absent.</summary>
    Task VerifyTablesAsync(IEnumerable<WarehouseTable> tables, CancellationToken cancellationToken = default);
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
