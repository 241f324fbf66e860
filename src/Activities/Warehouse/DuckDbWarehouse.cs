using System.Data.Common;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Warehouse;

/// <summary>
/// The embedded warehouse: DuckDB over a folder of table files named <c>&lt;dataset&gt;.&lt;table&gt;.csv</c> or
/// <c>.parquet</c> (header row = BigQuery column names). Each file is parsed once per version (size and modification
/// time) into an in-memory table under its BigQuery name, so the exporters' queries run unchanged and a refreshed file
/// is seen by the next query. Queries run concurrently, each on its own connection to the one database. Each query
/// reports what it measurably cost (<see cref="ExportCostMeter"/>): the rows it answered and the bytes of the table
/// files it had to parse first (none when they were already loaded); it bills nothing, so it reports no bytes billed.
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
        if (!OperatingSystem.IsWindows() && _folder.Contains('\\', StringComparison.Ordinal) && DuckDbTableFile.HasGlob(_folder))
        {
            // DuckDB splits a glob on backslashes, so such a path cannot be made literal.
            throw new MissingTableException($"warehouse folder '{_folder}' holds a backslash and one of * ? [, which DuckDB cannot read literally; rename the folder or use a link to it without those characters");
        }
        if (!Directory.Exists(_folder))
        {
            throw new MissingTableException($"warehouse folder '{_folder}' does not exist; create it with 'exportflows sample-data --out {folder}' or export your BigQuery tables there as <dataset>.<table>.csv");
        }
    }

    public string Description => $"duckdb:{_folder}";

    public string Identity => Description;

    /// <summary>The folder of table files.</summary>
    public string Folder => _folder;

    /// <summary>
    /// When set, tables with a <c>system_id</c> column keep only this system's rows in memory: every exporter query
    /// filters on the published model, and a warehouse of eight systems then needs an eighth of the memory.
    /// </summary>
    public string? KeepOnlySystem { get; init; }

    /// <summary>How many times a table file has been parsed (tests and benchmarks check that a file is read once).</summary>
    public int Loads => Volatile.Read(ref _loads);

    public async Task<IReadOnlyList<WarehouseRow>> QueryAsync(WarehouseQuery query, CancellationToken cancellationToken = default)
    {
        var fileBytes = await EnsureLoadedAsync(query.Tables, cancellationToken);
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
                var rows = ReadAll(reader, query, cancellationToken);
                ExportCostMeter.Record(Workflows.Contracts.ExportCost.DuckDbQuery(rows.Count, fileBytes));
                return rows;
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
    public async Task VerifyTablesAsync(IEnumerable<WarehouseTable> tables, CancellationToken cancellationToken = default) =>
        await EnsureLoadedAsync(tables, headersOnly: true, cancellationToken);

    /// <summary>The table file's modification time (CSV, else Parquet); null when there is no file.</summary>
    public Task<DateTimeOffset?> GetLastModifiedAsync(WarehouseTable table, CancellationToken cancellationToken = default) =>
        Task.FromResult(FileOf(table) is { } path ? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) : (DateTimeOffset?)null);

    private string? FileOf(WarehouseTable table)
    {
        var csv = Path.Combine(_folder, table.QualifiedName + ".csv");
        var parquet = Path.Combine(_folder, table.QualifiedName + ".parquet");
        return File.Exists(csv) ? csv : File.Exists(parquet) ? parquet : null;
    }

    private Task<long> EnsureLoadedAsync(IEnumerable<WarehouseTable> tables, CancellationToken cancellationToken) =>
        EnsureLoadedAsync(tables, headersOnly: false, cancellationToken);

    /// <summary>Loads (or checks) what is not loaded yet; returns the bytes of the table files parsed.</summary>
    private async Task<long> EnsureLoadedAsync(IEnumerable<WarehouseTable> tables, bool headersOnly, CancellationToken cancellationToken)
    {
        // Loading is serialised (a file is parsed once even when many queries want it); querying is not.
        await _loadGate.WaitAsync(cancellationToken);
        try
        {
            var parsed = 0L;
            foreach (var table in tables)
            {
                cancellationToken.ThrowIfCancellationRequested();
                parsed += Load(table, headersOnly);
            }
            return parsed;
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

    /// <summary>Parses the table's file unless this version is loaded; returns the bytes parsed (0 when none).</summary>
    private long Load(WarehouseTable table, bool headersOnly)
    {
        var csv = Path.Combine(_folder, table.QualifiedName + ".csv");
        var path = FileOf(table) ?? throw new MissingTableException(
            $"missing table {table.QualifiedName}: no file {csv} (or {table.QualifiedName}.parquet); export the table there or regenerate the sample data");
        var file = new FileInfo(path);
        var version = new TableVersion(path, file.Length, file.LastWriteTimeUtc);
        if (_loaded.TryGetValue(table.QualifiedName, out var current) && current == version)
        {
            return 0;
        }
        if (headersOnly && _verified.TryGetValue(table.QualifiedName, out var verified) && verified == version)
        {
            return 0;
        }
        var connection = Primary();
        var source = new DuckDbTableFile(table, path, path == csv, KeepOnlySystem);
        var header = ReadHeader(connection, source.RawSource, path);
        var missing = table.Columns.Keys.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new MissingTableException(
                $"table {table.QualifiedName} (file {path}) has no column {string.Join(", ", missing.Select(c => $"'{c}'"))}; its header must hold the BigQuery column names");
        }
        _verified[table.QualifiedName] = version;
        if (headersOnly)
        {
            return 0;
        }
        try
        {
            SetThreads(connection, Environment.ProcessorCount);
            try
            {
                Execute(connection, source.TypedLoad);
            }
            catch (DuckDBException ex)
            {
                LoadTolerantly(connection, source, ex);
            }
        }
        finally
        {
            SetThreads(connection, 1);
        }
        _loaded[table.QualifiedName] = version;
        Interlocked.Increment(ref _loads);
        _logger.LogDebug("Loaded {Table} from {Path} ({Bytes} bytes)", table.QualifiedName, path, version.Length);
        return version.Length;
    }

    /// <summary>
    /// After the typed load failed: a value of a kept row that does not parse is a data error naming its row; a file
    /// that cannot be read at all (caught mid-rewrite, say) stays a warehouse error, which is retried.
    /// </summary>
    private static void LoadTolerantly(DuckDBConnection connection, DuckDbTableFile source, DuckDBException failure)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = source.FirstInvalidValue;
            using (var reader = command.ExecuteReader())
            {
                if (reader.Read())
                {
                    throw source.Invalid(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i)).ToList());
                }
            }
            // Every kept row parses: the failing values were in rows of other systems, which are left out.
            Execute(connection, source.TolerantLoad);
        }
        catch (DuckDBException ex)
        {
            throw new WarehouseException($"cannot load table file {source.Path}: {failure.Message}", ex);
        }
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
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

    private static List<WarehouseRow> ReadAll(DbDataReader reader, WarehouseQuery query, CancellationToken cancellationToken)
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
                values[i] = reader.IsDBNull(i) ? null : Read(reader, i, dateColumns[i], query, columns);
            }
            rows.Add(new WarehouseRow(columns, values, query));
        }
        return rows;
    }

    private static object? Read(DbDataReader reader, int column, bool isDate, WarehouseQuery query, Dictionary<string, int> columns)
    {
        try
        {
            return Normalize(reader.GetValue(column), isDate);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not DuckDBException)
        {
            // A value .NET cannot hold (a date past 9999, a decimal beyond 28 digits, …).
            var key = string.Join(", ", query.RowKey.Where(k => columns.ContainsKey(k) && columns[k] != column).Select(k => $"{k}={KeyText(reader, columns[k])}"));
            throw new InvalidWarehouseDataException(query.SourceOf(reader.GetName(column)), key, $"the value cannot be read as {reader.GetDataTypeName(column)}: {ex.Message}");
        }
    }

    private static string KeyText(DbDataReader reader, int column)
    {
        try
        {
            return reader.IsDBNull(column) ? "NULL" : WarehouseRow.Text(reader.GetValue(column));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return "?";
        }
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
        ulong ul => ul <= long.MaxValue ? (long)ul : (double)ul,
        // Sums can be HUGEINT; beyond 64 bits they stay a number, which the typed getters reject by name if it is used.
        System.Numerics.BigInteger bi => bi >= long.MinValue && bi <= long.MaxValue ? (long)bi : (double)bi,
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
