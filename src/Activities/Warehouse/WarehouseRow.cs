using System.Globalization;

namespace ExportFlows.Activities.Warehouse;

/// <summary>
/// One result row. Values are normalized by every implementation to: null, string, long, double, decimal, bool,
/// DateOnly or DateTimeOffset. The typed getters are the one decoding both warehouses share: a value they cannot turn
/// into the asked type (NULL where required, unparsable, out of range) is an <see cref="InvalidWarehouseDataException"/>
/// naming the table and column (from <paramref name="query"/>) and the row's key.
/// </summary>
public sealed class WarehouseRow(IReadOnlyDictionary<string, int> columns, object?[] values, WarehouseQuery? query = null)
{
    /// <summary>The largest magnitude a decimal holds (decimal.MaxValue as a double, rounded down).</summary>
    private const double DecimalLimit = 7.9e28;

    public object? this[string column] => values[Index(column)];

    /// <summary>The result's column names, in result order.</summary>
    public IEnumerable<string> Columns => columns.OrderBy(c => c.Value).Select(c => c.Key);

    public bool IsNull(string column) => this[column] is null;

    public string? GetString(string column) => this[column] switch
    {
        null => null,
        string s => s,
        var other => Text(other),
    };

    public string GetRequiredString(string column) => GetString(column) ?? throw NullIn(column);

    /// <summary>A whole number; a fractional one is truncated, as a cast would.</summary>
    public long? GetInt64(string column) => this[column] switch
    {
        null => null,
        long l => l,
        int i => i,
        decimal d when d >= long.MinValue && d <= long.MaxValue => (long)d,
        double f when double.IsFinite(f) && f >= long.MinValue && f < long.MaxValue => (long)f,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        string s => throw Invalid(column, $"'{Shorten(s)}' is not a whole number"),
        decimal or double => throw Invalid(column, $"{Text(this[column]!)} is not representable as a 64-bit integer"),
        var other => throw WrongType(column, other, "INT64"),
    };

    /// <summary>Numbers as decimal, so that rounding is decided on the values as stored, not on binary floats.</summary>
    public decimal? GetDecimal(string column) => this[column] switch
    {
        null => null,
        decimal d => d,
        long l => l,
        int i => i,
        double f when double.IsFinite(f) && Math.Abs(f) < DecimalLimit => Convert.ToDecimal(f),
        double f => throw Invalid(column, double.IsFinite(f) ? $"{Text(f)} is too large to be used (at most ±7.9E+28)" : $"{Text(f)} is not a finite number"),
        string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        string s => throw Invalid(column, $"'{Shorten(s)}' is not a number (or is too large to be used)"),
        var other => throw WrongType(column, other, "NUMERIC/FLOAT64"),
    };

    public decimal GetRequiredDecimal(string column) => GetDecimal(column) ?? throw NullIn(column);

    public double? GetDouble(string column) => this[column] switch
    {
        null => null,
        double f => f,
        decimal d => (double)d,
        long l => l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        string s => throw Invalid(column, $"'{Shorten(s)}' is not a number"),
        var other => throw WrongType(column, other, "FLOAT64"),
    };

    public bool? GetBool(string column) => this[column] switch
    {
        null => null,
        bool b => b,
        string s when bool.TryParse(s, out var parsed) => parsed,
        string s => throw Invalid(column, $"'{Shorten(s)}' is not true or false"),
        var other => throw WrongType(column, other, "BOOL"),
    };

    public DateOnly? GetDate(string column) => this[column] switch
    {
        null => null,
        DateOnly d => d,
        DateTime dt => DateOnly.FromDateTime(dt),
        string s when DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) => parsed,
        string s => throw Invalid(column, $"'{Shorten(s)}' is not a date (YYYY-MM-DD)"),
        var other => throw WrongType(column, other, "DATE"),
    };

    public DateOnly GetRequiredDate(string column) => GetDate(column) ?? throw NullIn(column);

    /// <summary>The row's key for error messages: <c>player_lookup=alpha, game_date=2026-02-03</c>.</summary>
    public string Key => query is null
        ? ""
        : string.Join(", ", query.RowKey.Where(columns.ContainsKey).Select(c => $"{c}={(values[columns[c]] is { } v ? Shorten(Text(v)) : "NULL")}"));

    /// <summary>A value as it appears in an error message: invariant culture, dates as YYYY-MM-DD, doubles round-trip.</summary>
    public static string Text(object value) => value switch
    {
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private int Index(string column) =>
        columns.TryGetValue(column, out var i) ? i : throw new WarehouseException($"query result has no column '{column}'");

    private InvalidWarehouseDataException Invalid(string column, string problem) =>
        new(query?.SourceOf(column) ?? $"column '{column}'", Key, problem);

    private InvalidWarehouseDataException NullIn(string column) => Invalid(column, "NULL where a value is required");

    private InvalidWarehouseDataException WrongType(string column, object value, string expected) =>
        Invalid(column, $"holds {value.GetType().Name} {Shorten(Text(value))} where {expected} was expected");

    /// <summary>Keeps error messages one readable line whatever a cell holds.</summary>
    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
