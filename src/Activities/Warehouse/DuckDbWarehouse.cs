using System.Data.Common;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Warehouse;

/// <summary>
/// The embedded warehouse: DuckDB over a folder of table files named <c>&lt;dataset&gt;.&lt;table&gt;.csv</c> or
/// <c>.parquet</c> (header row = BigQuery column names). Each file is exposed as a view under its BigQuery name,
/// so the exporters' queries run unchanged. Views re-read their file on every query: a refreshed file is seen at once.
/// </summary>
public sealed class DuckDbWarehouse : IWarehouse, IDisposable
{
    private readonly string _folder;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _registered = new(StringComparer.Ordinal);
    private DuckDBConnection? _connection;

    public DuckDbWarehouse(string folder, ILogger<DuckDbWarehouse> logger)
    {
        _folder = Path.GetFullPath(folder);
        _logger = logger;
        if (!Directory.Exists(_folder))
        {
            throw new MissingTableException($"warehouse folder '{_folder}' does not exist; create it with 'exportflows sample-data --out {folder}' or export your BigQuery tables there as <dataset>.<table>.csv");
        }
    }

    public string Description => $"duckdb:{_folder}";

    public async Task<IReadOnlyList<WarehouseRow>> QueryAsync(WarehouseQuery query, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = Open();
            foreach (var table in query.Tables)
            {
                Register(connection, table);
            }
            using var command = connection.CreateCommand();
            command.CommandText = SqlDialect.DuckDb.Render(query);
            foreach (var parameter in query.Parameters)
            {
                command.Parameters.Add(new DuckDBParameter(parameter.Name, ToDuckDb(parameter)));
            }
            try
            {
                using var reader = command.ExecuteReader();
                return ReadAll(reader, cancellationToken);
            }
            catch (DuckDBException ex)
            {
                throw new WarehouseException($"query '{query.Name}' failed on {Description}: {ex.Message}", ex);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task VerifyTablesAsync(IEnumerable<WarehouseTable> tables, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = Open();
            foreach (var table in tables)
            {
                Register(connection, table);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private DuckDBConnection Open()
    {
        if (_connection is null)
        {
            _connection = new DuckDBConnection("Data Source=:memory:");
            _connection.Open();
        }
        return _connection;
    }

    private void Register(DuckDBConnection connection, WarehouseTable table)
    {
        if (_registered.Contains(table.QualifiedName))
        {
            return;
        }
        var csv = Path.Combine(_folder, table.QualifiedName + ".csv");
        var parquet = Path.Combine(_folder, table.QualifiedName + ".parquet");
        var path = File.Exists(csv) ? csv : File.Exists(parquet) ? parquet : null;
        if (path is null)
        {
            throw new MissingTableException(
                $"missing table {table.QualifiedName}: no file {csv} (or {Path.GetFileName(parquet)}); export the table there or regenerate the sample data");
        }
        var isCsv = path == csv;
        var literal = "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";
        var header = ReadHeader(connection, isCsv ? $"read_csv({literal}, header = true, all_varchar = true)" : $"read_parquet({literal})", path);
        var missing = table.Columns.Keys.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new MissingTableException(
                $"table {table.QualifiedName} (file {path}) has no column {string.Join(", ", missing.Select(c => $"'{c}'"))}; its header must hold the BigQuery column names");
        }
        var source = isCsv
            ? $"read_csv({literal}, header = true, nullstr = '', dateformat = '%Y-%m-%d', types = {{{string.Join(", ", table.Columns.Select(c => $"'{c.Key}': '{c.Value}'"))}}})"
            : $"read_parquet({literal})";
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE SCHEMA IF NOT EXISTS \"{table.Dataset}\"; CREATE OR REPLACE VIEW \"{table.Dataset}\".\"{table.Name}\" AS SELECT * FROM {source}";
        command.ExecuteNonQuery();
        _registered.Add(table.QualifiedName);
        _logger.LogDebug("Registered {Table} from {Path}", table.QualifiedName, path);
    }

    private static HashSet<string> ReadHeader(DuckDBConnection connection, string source, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {source} LIMIT 0";
        try
        {
            using var reader = command.ExecuteReader();
            return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToHashSet(StringComparer.Ordinal);
        }
        catch (DuckDBException ex)
        {
            throw new MissingTableException($"cannot read table file {path}: {ex.Message}");
        }
    }

    private static object? ToDuckDb(QueryParameter parameter) => parameter.Value switch
    {
        DateOnly date => date.ToDateTime(TimeOnly.MinValue),
        var value => value,
    };

    private static List<WarehouseRow> ReadAll(DbDataReader reader, CancellationToken cancellationToken)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var dateColumns = new bool[reader.FieldCount];
        for (var i = 0; i < reader.FieldCount; i++)
        {
            columns[reader.GetName(i)] = i;
            dateColumns[i] = string.Equals(reader.GetDataTypeName(i), "Date", StringComparison.OrdinalIgnoreCase);
        }
        var rows = new List<WarehouseRow>();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var values = new object?[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : Normalize(reader.GetValue(i), dateColumns[i]);
            }
            rows.Add(new WarehouseRow(columns, values));
        }
        return rows;
    }

    private static object? Normalize(object value, bool isDate) => value switch
    {
        DateTime dt when isDate => DateOnly.FromDateTime(dt),
        DateOnly d => d,
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        sbyte sb => (long)sb,
        uint ui => (long)ui,
        ulong ul => (long)ul,
        System.Numerics.BigInteger bi => (long)bi,
        float f => (double)f,
        _ => value,
    };

    public void Dispose()
    {
        _connection?.Dispose();
        _gate.Dispose();
    }
}
