using System.Text.Json;
using System.Text.Json.Nodes;
using ExportFlows.Activities.Google;
using ExportFlows.Activities.Warehouse;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Tests.Support;

/// <summary>
/// Speaks the parts of the BigQuery v2 REST API the warehouse uses: jobs.query, jobs.getQueryResults (paging by
/// pageToken, jobComplete false while a job "runs"), jobs.get, jobs.cancel, tables.get (with lastModifiedTime), and error bodies in
/// BigQuery's format. Jobs carry statistics by BigQuery's on-demand rules applied to a simple model: a query processes
/// every table it names in full (<see cref="TableBytes"/>, else the backend's file size), is billed at least 10 MiB per
/// table, rounded up to the MiB, is refused over its <c>maximumBytesBilled</c> (400 <c>bytesBilledLimitExceeded</c>,
/// before it runs), and answers a dry run (<c>dryRun: true</c>) with the bytes it would process, running nothing.
/// </summary>
public sealed class FakeBigQueryServer : LoopbackServer
{
    public List<(string Name, string Type)> Schema { get; } = [];

    public List<string?[]> Rows { get; } = [];

    /// <summary>How many polls answer jobComplete:false before the job completes (the first response counts).</summary>
    public int IncompletePolls { get; set; }

    /// <summary>Statuses answered to jobs.query before it succeeds, e.g. 503.</summary>
    public Queue<(int Status, string Reason)> QueryFailures { get; } = new();

    /// <summary>Reasons of job errors answered with HTTP 200 and <c>errors[]</c> (the job ran and failed) before a job succeeds.</summary>
    public Queue<string> JobFailures { get; } = new();

    /// <summary>When set, every jobs.query is rejected with 400 invalidQuery and this message.</summary>
    public string? InvalidQueryMessage { get; set; }

    public Dictionary<string, string[]> Tables { get; } = [];

    public JsonElement? LastQueryBody { get; private set; }

    /// <summary>
    /// Rewrites every query answer (jobs.query and getQueryResults) before it is sent, to serve hostile answers: it
    /// gets the answer and how many answers were sent before it, and returns what to send (any JSON).
    /// </summary>
    public Func<JsonObject, int, JsonNode?>? Tamper { get; set; }

    /// <summary>When set, every query answer is this text (with status 200 and a JSON content type).</summary>
    public string? RawAnswer { get; set; }

    /// <summary>
    /// When set, every jobs.query is really executed: the BigQuery SQL and its typed parameters run on this warehouse
    /// (tables mapped back from <c>`project.dataset.table`</c>), and each job pages its own result.
    /// </summary>
    public ExportFlows.Activities.Warehouse.DuckDbWarehouse? Backend { get; init; }

    /// <summary>A warehouse on this server (project <c>test-project</c> unless <paramref name="options"/> names one), retrying 1–5 ms apart, 4 attempts.</summary>
    public BigQueryWarehouse Warehouse(BigQueryOptions? options = null)
    {
        var retry = new RetryPolicy(4, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));
        return new((options ?? new() { Project = "test-project" }) with { BaseUri = BaseUri },
            new GoogleApiClient("BigQuery", GoogleApiResilience.HttpClient(retry, TimeSpan.FromSeconds(30), NullLogger.Instance), new StaticTokenSource("test-token"), retry, NullLogger.Instance),
            NullLogger<BigQueryWarehouse>.Instance);
    }

    /// <summary>jobs.query calls answered: one per BigQuery query job.</summary>
    public int Jobs => _jobs;

    /// <summary>Dry runs answered (no job ran).</summary>
    public int DryRuns => _dryRuns;

    /// <summary>Jobs refused for their maximumBytesBilled.</summary>
    public int Refused => _refused;

    /// <summary>Bytes a query processes per table it names (<c>dataset.table</c>); a table not listed: its backend file's size, else 0.</summary>
    public Dictionary<string, long> TableBytes { get; } = new(StringComparer.Ordinal);

    /// <summary>lastModifiedTime per table, overriding the backend file's time; a null value leaves the field out.</summary>
    public Dictionary<string, DateTimeOffset?> TableModified { get; } = new(StringComparer.Ordinal);

    /// <summary>Replaces the message of a refusal over maximumBytesBilled (BigQuery's names the bytes required).</summary>
    public string? OverBudgetMessage { get; set; }

    /// <summary>When set, an identical query (text and parameters) over unchanged tables is answered from the cache: cacheHit, nothing billed.</summary>
    public bool QueryCache { get; set; }

    public const long MiB = 1024 * 1024;

    private int _polls;
    private int _jobs;
    private int _dryRuns;
    private int _refused;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FakeJob> _statistics = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _cached = new();
    private int _answers;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (List<(string Name, string Type)> Schema, List<string?[]> Rows)> _results = new();

    protected override async Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        // bigquery/v2/projects/{p}/queries[/{jobId}] or bigquery/v2/projects/{p}/datasets/{d}/tables/{t}
        if (segments.Length >= 5 && segments[4] == "queries" && request.Method == "POST")
        {
            // This request's own body: exports run side by side, and LastQueryBody is whichever request came last.
            var body = JsonDocument.Parse(request.Body).RootElement.Clone();
            LastQueryBody = body;
            if (QueryFailures.TryDequeue(out var failure))
            {
                await ErrorAsync(context, failure.Status, failure.Reason, "The service is currently unavailable.");
                return;
            }
            if (InvalidQueryMessage is not null)
            {
                await ErrorAsync(context, 400, "invalidQuery", InvalidQueryMessage);
                return;
            }
            if (JobFailures.TryDequeue(out var jobFailure))
            {
                await JsonAsync(context, 200, new Dictionary<string, object>
                {
                    ["kind"] = "bigquery#queryResponse",
                    ["jobReference"] = new { projectId = "test-project", jobId = "job_failed", location = "US" },
                    ["jobComplete"] = true,
                    ["errors"] = new[] { new { reason = jobFailure, message = "Error encountered during execution. Retrying may solve the problem." } },
                });
                return;
            }
            var statistics = Cost(body);
            if (body.TryGetProperty("dryRun", out var dryRun) && dryRun.GetBoolean())
            {
                Interlocked.Increment(ref _dryRuns);
                await JsonAsync(context, 200, new Dictionary<string, object>
                {
                    ["kind"] = "bigquery#queryResponse",
                    ["jobReference"] = new { projectId = "test-project", location = "US" },
                    ["jobComplete"] = true,
                    ["totalBytesProcessed"] = Text(statistics.Processed),
                    ["cacheHit"] = false,
                });
                return;
            }
            var cacheKey = CacheKey(body);
            if (QueryCache && _cached.ContainsKey(cacheKey))
            {
                statistics = new FakeJob(0, 0, 0, CacheHit: true);
            }
            else if (body.TryGetProperty("maximumBytesBilled", out var maximum) && statistics.Billed > long.Parse(maximum.GetString()!, System.Globalization.CultureInfo.InvariantCulture))
            {
                Interlocked.Increment(ref _refused);
                await ErrorAsync(context, 400, "bytesBilledLimitExceeded",
                    OverBudgetMessage ?? $"Query exceeded limit for bytes billed: {maximum.GetString()}. {statistics.Billed} or higher required.");
                return;
            }
            _cached.TryAdd(cacheKey, true);
            _polls = 0;
            var jobId = $"job_{Interlocked.Increment(ref _jobs)}";
            _statistics[jobId] = statistics;
            if (Backend is not null)
            {
                _results[jobId] = await ExecuteAsync(body);
            }
            var pageSize = body.GetProperty("maxResults").GetInt32();
            await AnswerAsync(context, Page(jobId, 0, pageSize, fromJobsQuery: true));
            return;
        }
        if (segments.Length == 6 && segments[4] == "jobs" && request.Method == "GET")
        {
            if (!_statistics.TryGetValue(segments[5], out var job))
            {
                await ErrorAsync(context, 404, "notFound", $"Not found: Job test-project:US.{segments[5]}");
                return;
            }
            await JsonAsync(context, 200, new
            {
                kind = "bigquery#job",
                jobReference = new { projectId = "test-project", jobId = segments[5], location = "US" },
                status = new { state = "DONE" },
                statistics = new
                {
                    totalBytesProcessed = Text(job.Processed),
                    totalSlotMs = Text(job.SlotMs),
                    query = new { totalBytesProcessed = Text(job.Processed), totalBytesBilled = Text(job.Billed), cacheHit = job.CacheHit },
                },
            });
            return;
        }
        if (segments.Length == 6 && segments[4] == "queries" && request.Method == "GET")
        {
            var query = context.Request.Query;
            var offset = int.TryParse(query["pageToken"], out var token) ? token : 0;
            await AnswerAsync(context, Page(segments[5], offset, int.Parse(query["maxResults"]!), fromJobsQuery: false));
            return;
        }
        if (segments.Length == 7 && segments[4] == "jobs" && segments[6] == "cancel" && request.Method == "POST")
        {
            await JsonAsync(context, 200, new { kind = "bigquery#jobCancelResponse", job = new { jobReference = new { projectId = segments[3], jobId = segments[5] } } });
            return;
        }
        if (segments.Length == 8 && segments[4] == "datasets" && segments[6] == "tables")
        {
            var backendTable = ExportFlows.Activities.Warehouse.WarehouseTable.All.FirstOrDefault(t => t.QualifiedName == $"{segments[5]}.{segments[7]}");
            var qualified = $"{segments[5]}.{segments[7]}";
            string[]? fields = Backend is not null && backendTable is not null ? backendTable.Columns.Keys.ToArray() : Tables.GetValueOrDefault(qualified);
            if (fields is null)
            {
                await ErrorAsync(context, 404, "notFound", $"Not found: Table {segments[3]}:{segments[5]}.{segments[7]}");
                return;
            }
            var table = new Dictionary<string, object?>
            {
                ["kind"] = "bigquery#table",
                ["tableReference"] = new { projectId = segments[3], datasetId = segments[5], tableId = segments[7] },
                ["schema"] = new { fields = fields.Select(c => new { name = c, type = "STRING" }) },
            };
            if (LastModified(qualified) is { } modified)
            {
                table["lastModifiedTime"] = Text(modified.ToUnixTimeMilliseconds());
            }
            await JsonAsync(context, 200, table);
            return;
        }
        await ErrorAsync(context, 404, "notFound", "unknown endpoint " + request.Path);
    }

    private Task AnswerAsync(HttpContext context, Dictionary<string, object?> page)
    {
        var number = Interlocked.Increment(ref _answers) - 1;
        if (RawAnswer is null && Tamper is null)
        {
            return JsonAsync(context, 200, page);
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(RawAnswer ?? Tamper!(JsonSerializer.SerializeToNode(page)!.AsObject(), number)?.ToJsonString() ?? "null");
    }

    private async Task<(List<(string Name, string Type)> Schema, List<string?[]> Rows)> ExecuteAsync(JsonElement body)
    {
        var sql = System.Text.RegularExpressions.Regex.Replace(body.GetProperty("query").GetString()!, @"`[^`.]+\.(?<d>[A-Za-z0-9_]+)\.(?<t>[A-Za-z0-9_]+)`", m => $"{{{m.Groups["d"].Value}.{m.Groups["t"].Value}}}");
        var tables = ExportFlows.Activities.Warehouse.WarehouseTable.All.Where(t => sql.Contains("{" + t.QualifiedName + "}", StringComparison.Ordinal)).ToList();
        var parameters = body.GetProperty("queryParameters").EnumerateArray().Select(p =>
        {
            var name = p.GetProperty("name").GetString()!;
            var value = p.GetProperty("parameterValue").GetProperty("value").GetString()!;
            return p.GetProperty("parameterType").GetProperty("type").GetString() switch
            {
                "DATE" => ExportFlows.Activities.Warehouse.QueryParameter.Date(name, DateOnly.Parse(value, System.Globalization.CultureInfo.InvariantCulture)),
                "INT64" => ExportFlows.Activities.Warehouse.QueryParameter.Int64(name, long.Parse(value, System.Globalization.CultureInfo.InvariantCulture)),
                _ => ExportFlows.Activities.Warehouse.QueryParameter.String(name, value),
            };
        }).ToList();
        var rows = await Backend!.QueryAsync(new ExportFlows.Activities.Warehouse.WarehouseQuery("fake-bigquery", sql, tables, parameters));
        var names = rows.Count == 0 ? [] : rows[0].Columns.ToList();
        var schema = names.Select(n => (n, rows.Select(r => r[n]).FirstOrDefault(v => v is not null) switch
        {
            long => "INT64",
            double => "FLOAT64",
            decimal => "NUMERIC",
            bool => "BOOL",
            DateOnly => "DATE",
            _ => "STRING",
        })).ToList();
        var values = rows.Select(r => names.Select(n => r[n] switch
        {
            null => null,
            DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            var v => v.ToString(),
        }).ToArray()).ToList();
        return (schema, values);
    }

    private sealed record FakeJob(long Processed, long Billed, long SlotMs, bool CacheHit);

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly System.Text.RegularExpressions.Regex TableName = new(@"`[^`.]+\.(?<d>[A-Za-z0-9_]+)\.(?<t>[A-Za-z0-9_]+)`");

    private string? BackendFile(string table) =>
        Backend is null ? null : new[] { ".csv", ".parquet" }.Select(e => System.IO.Path.Combine(Backend.Folder, table + e)).FirstOrDefault(File.Exists);

    private DateTimeOffset? LastModified(string table) =>
        TableModified.TryGetValue(table, out var set) ? set
        : BackendFile(table) is { } file ? new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero)
        : new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<string> TablesOf(JsonElement body) =>
        TableName.Matches(body.GetProperty("query").GetString()!).Select(m => $"{m.Groups["d"].Value}.{m.Groups["t"].Value}").Distinct().ToList();

    /// <summary>What the query costs run in full: every named table whole; at least 10 MiB billed per table, rounded up to the MiB.</summary>
    private FakeJob Cost(JsonElement body)
    {
        var sizes = TablesOf(body).Select(t => TableBytes.TryGetValue(t, out var bytes) ? bytes : BackendFile(t) is { } file ? new FileInfo(file).Length : 0).ToList();
        var processed = sizes.Sum();
        var billed = sizes.Sum(b => Math.Max(10 * MiB, (b + MiB - 1) / MiB * MiB));
        return new FakeJob(processed, billed, 1 + processed / 1000, CacheHit: false);
    }

    /// <summary>BigQuery's cache answers the same text with the same parameters while no table it reads changed.</summary>
    private string CacheKey(JsonElement body) =>
        body.GetProperty("query").GetString() + body.GetProperty("queryParameters").GetRawText() + string.Join(",", TablesOf(body).Select(t => LastModified(t)?.ToUnixTimeMilliseconds()));

    private Dictionary<string, object?> Page(string jobId, int offset, int pageSize, bool fromJobsQuery)
    {
        var (schemaFields, rowList) = _results.TryGetValue(jobId, out var result) ? result : (Schema, Rows);
        var page = new Dictionary<string, object?>
        {
            ["kind"] = "bigquery#queryResponse",
            ["jobReference"] = new { projectId = "test-project", jobId, location = "US" },
        };
        if (_polls++ < IncompletePolls)
        {
            page["jobComplete"] = false;
            return page;
        }
        page["jobComplete"] = true;
        if (_statistics.TryGetValue(jobId, out var statistics))
        {
            // jobs.query answers every figure; jobs.getQueryResults only bytes processed and the cache hit.
            page["totalBytesProcessed"] = Text(statistics.Processed);
            page["cacheHit"] = statistics.CacheHit;
            if (fromJobsQuery)
            {
                page["totalBytesBilled"] = Text(statistics.Billed);
                page["totalSlotMs"] = Text(statistics.SlotMs);
            }
        }
        page["totalRows"] = rowList.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        page["schema"] = new { fields = schemaFields.Select(f => new { name = f.Name, type = f.Type, mode = "NULLABLE" }) };
        page["rows"] = rowList.Skip(offset).Take(pageSize).Select(r => new { f = r.Select(v => new { v }) }).ToList();
        if (offset + pageSize < rowList.Count)
        {
            page["pageToken"] = (offset + pageSize).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return page;
    }
}
