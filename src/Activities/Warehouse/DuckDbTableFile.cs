namespace ExportFlows.Activities.Warehouse;

/// <summary>
/// The SQL that loads one table file into DuckDB: the fast typed load, and, when that fails, the search for the first
/// value of the model's rows that does not parse (with its row key) and a load that leaves other systems' bad rows out.
/// </summary>
public sealed class DuckDbTableFile(WarehouseTable table, string path, bool isCsv, string? keepOnlySystem)
{
    private const string BadColumn = "__exportflows_bad_column";
    private const string BadValue = "__exportflows_bad_value";

    public string Path => path;

    /// <summary>Every column as it is in the file (CSV: text), for the header check and the search for bad values.</summary>
    public string RawSource => isCsv ? $"read_csv({Literal(path)}, header = true, nullstr = '', all_varchar = true)" : $"read_parquet({Literal(path)})";

    /// <summary>The table from the file with the declared types; fails on the first value that does not parse.</summary>
    public string TypedLoad
    {
        get
        {
            var source = isCsv
                ? $"read_csv({Literal(path)}, header = true, nullstr = '', dateformat = '%Y-%m-%d', types = {{{string.Join(", ", table.Columns.Select(c => $"'{c.Key}': '{c.Value}'"))}}})"
                : $"read_parquet({Literal(path)})";
            // Only the columns the exporters read (and, with a kept system, only the model's rows) are kept in memory.
            var columns = string.Join(", ", table.Columns.Select(c => isCsv ? Quote(c.Key) : $"CAST({Quote(c.Key)} AS {c.Value}) AS {Quote(c.Key)}"));
            return Create($"SELECT {columns} FROM {source}{RowFilter}");
        }
    }

    /// <summary>The table with values parsed one by one: used once <see cref="FirstInvalidValue"/> found none in the kept rows.</summary>
    public string TolerantLoad => Create($"SELECT {string.Join(", ", table.Columns.Select(c => $"{Parse(c.Key, c.Value)} AS {Quote(c.Key)}"))} FROM {RawSource}{RowFilter}");

    /// <summary>One row: the key columns (as text), the name of the first column whose value does not parse, and that value.</summary>
    public string FirstInvalidValue
    {
        get
        {
            var bad = table.Columns.Select(c => (Column: c.Key, Test: $"({Quote(c.Key)} IS NOT NULL AND {Parse(c.Key, c.Value)} IS NULL)")).ToList();
            var keys = table.RowKey.Select(k => $"CAST({Quote(k)} AS VARCHAR) AS {Quote(k)}");
            var column = "CASE " + string.Concat(bad.Select(b => $"WHEN {b.Test} THEN '{b.Column}' ")) + "END";
            var value = "CASE " + string.Concat(bad.Select(b => $"WHEN {b.Test} THEN CAST({Quote(b.Column)} AS VARCHAR) ")) + "END";
            return $"SELECT * FROM (SELECT {string.Join(", ", keys.Append($"{column} AS {BadColumn}").Append($"{value} AS {BadValue}"))} " +
                   $"FROM {RawSource}{RowFilter}) WHERE {BadColumn} IS NOT NULL LIMIT 1";
        }
    }

    /// <summary>The error for the row <see cref="FirstInvalidValue"/> returned (key columns first, then column and value).</summary>
    public InvalidWarehouseDataException Invalid(IReadOnlyList<string?> row)
    {
        var key = string.Join(", ", table.RowKey.Select((k, i) => $"{k}={row[i] ?? "NULL"}"));
        var column = row[table.RowKey.Count]!;
        var value = row[table.RowKey.Count + 1] ?? "";
        var type = table.Columns[column];
        return new InvalidWarehouseDataException($"{table.QualifiedName}.{column}", key,
            $"'{(value.Length <= 80 ? value : value[..80] + "…")}' is not a valid {type}{(type == "DATE" ? " (YYYY-MM-DD)" : "")} (file {path})");
    }

    /// <summary>
    /// A path as a DuckDB string literal that DuckDB's file functions read literally. They treat <c>* ? [</c> as a
    /// glob, so a path holding one has every glob character wrapped in brackets (<c>[[]</c> matches <c>[</c>);
    /// a path without one is passed as it is (DuckDB then opens exactly that file).
    /// </summary>
    public static string Literal(string path)
    {
        if (HasGlob(path))
        {
            path = string.Concat(path.Select(c => c is '[' or ']' or '*' or '?' or '{' or '}' ? $"[{c}]" : c.ToString()));
        }
        return "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Whether DuckDB would take <paramref name="path"/> for a glob pattern.</summary>
    public static bool HasGlob(string path) => path.AsSpan().IndexOfAny("*?[") >= 0;

    private string RowFilter => keepOnlySystem is { } system && table.Columns.ContainsKey("system_id")
        ? $" WHERE system_id = '{system.Replace("'", "''", StringComparison.Ordinal)}'"
        : "";

    private string Create(string select) =>
        $"CREATE SCHEMA IF NOT EXISTS {Quote(table.Dataset)}; CREATE OR REPLACE TABLE {Quote(table.Dataset)}.{Quote(table.Name)} AS {select}";

    /// <summary>The value of a column parsed to its declared type, NULL when it does not parse (CSV dates as YYYY-MM-DD only).</summary>
    private string Parse(string column, string type) => isCsv && type == "DATE"
        ? $"CAST(TRY_STRPTIME({Quote(column)}, '%Y-%m-%d') AS DATE)"
        : $"TRY_CAST({Quote(column)} AS {type})";

    private static string Quote(string identifier) => $"\"{identifier}\"";
}
