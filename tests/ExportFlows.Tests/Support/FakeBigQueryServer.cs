using System.Text.Json;
using System.Text.Json.Nodes;
using ExportFlows.Activities.Google;
using ExportFlows.Activities.Warehouse;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Tests.Support;

/// <summary>
/// Speaks the parts of the BigQuery v2 REST API the warehouse uses: jobs.query, jobs.getQueryResults (paging by
/// pageToken, jobComplete false while a job "runs"), jobs.cancel, tables.get, and error bodies in BigQuery's format.
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

    private int _polls;
    private int _jobs;
    private int _answers;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (List<(string Name, string Type)> Schema, List<string?[]> Rows)> _results = new();

    protected override async Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        // bigquery/v2/projects/{p}/queries[/{jobId}] or bigquery/v2/projects/{p}/datasets/{d}/tables/{t}
        if (segments.Length >= 5 && segments[4] == "queries" && request.Method == "POST")
        {
            LastQueryBody = JsonDocument.Parse(request.Body).RootElement.Clone();
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
            _polls = 0;
            var jobId = $"job_{Interlocked.Increment(ref _jobs)}";
            if (Backend is not null)
            {
                _results[jobId] = await ExecuteAsync(LastQueryBody.Value);
            }
            var pageSize = LastQueryBody.Value.GetProperty("maxResults").GetInt32();
            await AnswerAsync(context, Page(jobId, 0, pageSize));
            return;
        }
        if (segments.Length == 6 && segments[4] == "queries" && request.Method == "GET")
        {
            var query = context.Request.Query;
            var offset = int.TryParse(query["pageToken"], out var token) ? token : 0;
            await AnswerAsync(context, Page(segments[5], offset, int.Parse(query["maxResults"]!)));
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
            if (Backend is not null && backendTable is not null)
            {
                await JsonAsync(context, 200, new { schema = new { fields = backendTable.Columns.Keys.Select(c => new { name = c, type = "STRING" }) } });
                return;
            }
            if (!Tables.TryGetValue($"{segments[5]}.{segments[7]}", out var columns))
            {
                await ErrorAsync(context, 404, "notFound", $"Not found: Table {segments[3]}:{segments[5]}.{segments[7]}");
                return;
            }
            await JsonAsync(context, 200, new { schema = new { fields = columns.Select(c => new { name = c, type = "STRING" }) } });
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

    private Dictionary<string, object?> Page(string jobId, int offset, int pageSize)
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
