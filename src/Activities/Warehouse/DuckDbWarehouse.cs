using System.Data.Common;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Warehouse;

/// <summary>
/// The embedded warehouse: DuckDB over a folder of table files named <c>&lt;dataset&gt;.&lt;table&gt;.csv</c> or
/// <c>.parquet</c> (header row = BigQuery column names). Each file is parsed once per version (size and modification
/// time) into an in-memory table under its BigQuery name, so the exporters' queries run unchanged and a refreshed file
/// is seen by the next query. Queries run concurrently, each on its own connection to the one database.
/// </summary>
public sealed class DuckDbWarehouse : IWarehouse, IDisposable
{
    private readonly string _folder;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private readonly Dictionary<string, TableVersion> _loaded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TableVersion> _verified = new(StringComparer.Ordinal);
    private readonly object _connectionGate = new();
    private readonly Stack<DuckDBConnection> _idle = new();
    private DuckDBConnection? _primary;
    private int _loads;

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

    /// <summary>
    /// When set, tables with a <c>system_id</c> column keep only this system's rows in memory: every exporter query
    /// filters on the published model, and a warehouse of eight systems then needs an eighth of the memory.
    /// </summary>
    public string? KeepOnlySystem { get; init; }

    /// <summary>How many times a table file has been parsed (tests and benchmarks check that a file is read once).</summary>
    public int Loads => Volatile.Read(ref _loads);

    public async Task<IReadOnlyList<WarehouseRow>> QueryAsync(WarehouseQuery query, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(query.Tables, cancellationToken);
        var connection = Rent();
        try
        {
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
            Return(connection);
        }
    }

    /// <summary>Checks files and header columns only; the data is parsed by the first query that needs it.</summary>
    public Task VerifyTablesAsync(IEnumerable<WarehouseTable> tables, CancellationToken cancellationToken = default) =>
        EnsureLoadedAsync(tables, headersOnly: true, cancellationToken);

    private Task EnsureLoadedAsync(IEnumerable<WarehouseTable> tables, CancellationToken cancellationToken) =>
        EnsureLoadedAsync(tables, headersOnly: false, cancellationToken);

    private async Task EnsureLoadedAsync(IEnumerable<WarehouseTable> tables, bool headersOnly, CancellationToken cancellationToken)
    {
        // Loading is serialised (a file is parsed once even when many queries want it); querying is not.
        await _loadGate.WaitAsync(cancellationToken);
        try
        {
            foreach (var table in tables)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Load(table, headersOnly);
            }
        }
        finally
        {
            _loadGate.Release();
        }
    }

    private DuckDBConnection Rent()
    {
        lock (_connectionGate)
        {
            if (_idle.TryPop(out var idle))
            {
                return idle;
            }
            var duplicate = Primary().Duplicate();
            if (duplicate.State != System.Data.ConnectionState.Open)
            {
                duplicate.Open();
            }
            return duplicate;
        }
    }

    private void Return(DuckDBConnection connection)
    {
        lock (_connectionGate)
        {
            _idle.Push(connection);
        }
    }

    private DuckDBConnection Primary()
    {
        lock (_connectionGate)
        {
            if (_primary is null)
            {
                _primary = new DuckDBConnection("Data Source=:memory:");
                _primary.Open();
                using var settings = _primary.CreateCommand();
                // Row order of the loaded tables is irrelevant (every query orders what it needs); this lets loads stream.
                // Queries run on one thread each, so concurrent exports use the cores side by side; loads use them all.
                settings.CommandText = "SET preserve_insertion_order = false; SET threads = 1";
                settings.ExecuteNonQuery();
            }
            return _primary;
        }
    }

    private void Load(WarehouseTable table, bool headersOnly)
    {
        var csv = Path.Combine(_folder, table.QualifiedName + ".csv");
        var parquet = Path.Combine(_folder, table.QualifiedName + ".parquet");
        var path = File.Exists(csv) ? csv : File.Exists(parquet) ? parquet : null;
        if (path is null)
        {
            throw new MissingTableException(
                $"missing table {table.QualifiedName}: no file {csv} (or {Path.GetFileName(parquet)}); export the table there or regenerate the sample data");
        }
        var file = new FileInfo(path);
        var version = new TableVersion(path, file.Length, file.LastWriteTimeUtc);
        if (_loaded.TryGetValue(table.QualifiedName, out var current) && current == version)
        {
            return;
        }
        if (headersOnly && _verified.TryGetValue(table.QualifiedName, out var verified) && verified == version)
        {
            return;
        }
        var connection = Primary();
        var isCsv = path == csv;
        var literal = "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";
        var header = ReadHeader(connection, isCsv ? $"read_csv({literal}, header = true, all_varchar = true)" : $"read_parquet({literal})", path);
        var missing = table.Columns.Keys.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new MissingTableException(
                $"table {table.QualifiedName} (file {path}) has no column {string.Join(", ", missing.Select(c => $"'{c}'"))}; its header must hold the BigQuery column names");
        }
        _verified[table.QualifiedName] = version;
        if (headersOnly)
        {
            return;
        }
        var source = isCsv
            ? $"read_csv({literal}, header = true, nullstr = '', dateformat = '%Y-%m-%d', types = {{{string.Join(", ", table.Columns.Select(c => $"'{c.Key}': '{c.Value}'"))}}})"
            : $"read_parquet({literal})";
        // Only the columns the exporters read (and, with KeepOnlySystem, only the model's rows) are kept in memory.
        var columns = string.Join(", ", table.Columns.Keys.Select(c => $"\"{c}\""));
        var rows = KeepOnlySystem is { } system && table.Columns.ContainsKey("system_id")
            ? $" WHERE system_id = '{system.Replace("'", "''", StringComparison.Ordinal)}'"
            : "";
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE SCHEMA IF NOT EXISTS \"{table.Dataset}\"; CREATE OR REPLACE TABLE \"{table.Dataset}\".\"{table.Name}\" AS SELECT {columns} FROM {source}{rows}";
        try
        {
            SetThreads(connection, Environment.ProcessorCount);
            command.ExecuteNonQuery();
        }
        catch (DuckDBException ex)
        {
            // A value that does not parse (or a file caught mid-rewrite): the query fails and may be retried.
            throw new WarehouseException($"cannot load table file {path}: {ex.Message}", ex);
        }
        finally
        {
            SetThreads(connection, 1);
        }
        _loaded[table.QualifiedName] = version;
        Interlocked.Increment(ref _loads);
        _logger.LogDebug("Loaded {Table} from {Path} ({Bytes} bytes)", table.QualifiedName, path, version.Length);
    }

    private static void SetThreads(DuckDBConnection connection, int threads)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SET threads = {Math.Max(1, threads)}";
        command.ExecuteNonQuery();
    }

    private sealed record TableVersion(string Path, long Length, DateTime LastWriteUtc);

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
        lock (_connectionGate)
        {
            while (_idle.TryPop(out var connection))
            {
                connection.Dispose();
            }
            _primary?.Dispose();
        }
        _loadGate.Dispose();
    }
}
