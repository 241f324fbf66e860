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
public sealed record WarehouseQuery(string Name, string Sql, IReadOnlyList<WarehouseTable> Tables, IReadOnlyList<QueryParameter> Parameters);

/// <summary>
/// One result row. Values are normalized by every implementation to: null, string, long, double, decimal, bool,
/// DateOnly or DateTimeOffset.
/// </summary>
public sealed class WarehouseRow(IReadOnlyDictionary<string, int> columns, object?[] values)
{
    public object? this[string column] => values[Index(column)];

    /// <summary>The result's column names, in result order.</summary>
    public IEnumerable<string> Columns => columns.OrderBy(c => c.Value).Select(c => c.Key);

    public bool IsNull(string column) => this[column] is null;

    public string? GetString(string column) => this[column] switch
    {
        null => null,
        string s => s,
        var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
    };

    public string GetRequiredString(string column) => GetString(column) ?? throw NullIn(column);

    public long? GetInt64(string column) => this[column] switch
    {
        null => null,
        long l => l,
        int i => i,
        decimal d => (long)d,
        double f => (long)f,
        var other => throw WrongType(column, other, "INT64"),
    };

    /// <summary>Numbers as decimal, so that rounding is decided on the values as stored, not on binary floats.</summary>
    public decimal? GetDecimal(string column) => this[column] switch
    {
        null => null,
        decimal d => d,
        long l => l,
        int i => i,
        double f when double.IsFinite(f) => Convert.ToDecimal(f),
        var other => throw WrongType(column, other, "NUMERIC/FLOAT64"),
    };

    public decimal GetRequiredDecimal(string column) => GetDecimal(column) ?? throw NullIn(column);

    public double? GetDouble(string column) => this[column] switch
    {
        null => null,
        double f => f,
        decimal d => (double)d,
        long l => l,
        var other => throw WrongType(column, other, "FLOAT64"),
    };

    public bool? GetBool(string column) => this[column] switch
    {
        null => null,
        bool b => b,
        var other => throw WrongType(column, other, "BOOL"),
    };

    public DateOnly? GetDate(string column) => this[column] switch
    {
        null => null,
        DateOnly d => d,
        DateTime dt => DateOnly.FromDateTime(dt),
        var other => throw WrongType(column, other, "DATE"),
    };

    public DateOnly GetRequiredDate(string column) => GetDate(column) ?? throw NullIn(column);

    private int Index(string column) =>
        columns.TryGetValue(column, out var i) ? i : throw new WarehouseException($"query result has no column '{column}'");

    private static WarehouseException NullIn(string column) => new($"column '{column}' is NULL where a value is required");

    private static WarehouseException WrongType(string column, object value, string expected) =>
        new($"column '{column}' holds {value.GetType().Name} where {expected} was expected");
}

/// <summary>A warehouse failure whose message says what to fix (missing table file, missing column, query error).</summary>
public class WarehouseException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A table or column the exporters need is absent: not retryable.</summary>
public sealed class MissingTableException(string message) : WarehouseException(message)
{
    public const string ErrorType = "MissingTable";
}
