using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExportFlows.Activities.Google;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Warehouse;

public sealed record BigQueryOptions
{
    /// <summary>Project that runs (and is billed for) the query jobs.</summary>
    public required string Project { get; init; }

    /// <summary>Project holding the datasets; defaults to <see cref="Project"/>.</summary>
    public string? DataProject { get; init; }

    public string? Location { get; init; }

    /// <summary>API root; override for an emulator or the in-test server.</summary>
    public Uri BaseUri { get; init; } = new("https://bigquery.googleapis.com/");

    public int PageSize { get; init; } = 10_000;

    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>
/// BigQuery over its REST API: <c>jobs.query</c> with named parameters, then <c>jobs.getQueryResults</c> until the
/// job is complete and every page is read. Rows are decoded by the schema the API returns.
/// </summary>
public sealed class BigQueryWarehouse(BigQueryOptions options, GoogleApiClient client, ILogger<BigQueryWarehouse> logger) : IWarehouse
{
    private readonly SqlDialect _dialect = SqlDialect.BigQuery(options.DataProject ?? options.Project);

    public string Description => $"bigquery:{options.Project}";

    /// <summary>Runs the query; a job that fails with a retryable reason (backendError, rateLimitExceeded, …) is run again as a new job.</summary>
    public Task<IReadOnlyList<WarehouseRow>> QueryAsync(WarehouseQuery query, CancellationToken cancellationToken = default) =>
        client.RetryAnsweredErrorsAsync(() => QueryOnceAsync(query, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<WarehouseRow>> QueryOnceAsync(WarehouseQuery query, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + options.QueryTimeout;
        var body = new JsonObject
        {
            ["query"] = _dialect.Render(query),
            ["useLegacySql"] = false,
            ["parameterMode"] = "NAMED",
            ["queryParameters"] = new JsonArray(query.Parameters.Select(ToJson).ToArray<JsonNode?>()),
            ["maxResults"] = options.PageSize,
            ["timeoutMs"] = (long)options.QueryTimeout.TotalMilliseconds,
            // Makes a retried jobs.query idempotent: BigQuery returns the same job for the same requestId.
            ["requestId"] = Guid.NewGuid().ToString("N"),
        };
        if (options.Location is not null)
        {
            body["location"] = options.Location;
        }
        var projectPath = $"bigquery/v2/projects/{Uri.EscapeDataString(options.Project)}";
        using var first = await client.SendJsonAsync(
            () => new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUri, $"{projectPath}/queries")) { Content = JsonContent.Create(body) },
            cancellationToken);

        var page = first.RootElement.Clone();
        var jobId = page.GetProperty("jobReference").GetProperty("jobId").GetString()!;
        var location = page.GetProperty("jobReference").TryGetProperty("location", out var loc) ? loc.GetString() : options.Location;
        ThrowOnJobErrors(page, query);

        List<WarehouseRow> rows = [];
        Dictionary<string, int>? columns = null;
        FieldDecoder[]? decoders = null;
        var pages = 0;
        string? pageToken = null;
        while (true)
        {
            if (page.TryGetProperty("jobComplete", out var complete) && !complete.GetBoolean())
            {
                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new WarehouseException($"BigQuery query '{query.Name}' (job {jobId}) did not complete within {options.QueryTimeout.TotalSeconds:F0} s");
                }
                logger.LogInformation("BigQuery job {JobId} for {Query} still running", jobId, query.Name);
                await Task.Delay(options.PollInterval, cancellationToken);
                page = await GetResultsAsync(projectPath, jobId, location, pageToken, cancellationToken);
                ThrowOnJobErrors(page, query);
                continue;
            }
            if (decoders is null)
            {
                (columns, decoders) = ReadSchema(page);
            }
            if (page.TryGetProperty("rows", out var pageRows))
            {
                foreach (var row in pageRows.EnumerateArray())
                {
                    rows.Add(DecodeRow(row, columns!, decoders));
                }
            }
            pages++;
            pageToken = page.TryGetProperty("pageToken", out var token) ? token.GetString() : null;
            if (string.IsNullOrEmpty(pageToken))
            {
                break;
            }
            page = await GetResultsAsync(projectPath, jobId, location, pageToken, cancellationToken);
            ThrowOnJobErrors(page, query);
        }
        logger.LogDebug("BigQuery {Query}: {Rows} rows in {Pages} pages (job {JobId})", query.Name, rows.Count, pages, jobId);
        return rows;
    }

    /// <summary>Reads each table's schema with <c>tables.get</c>; a 404 or a missing column is a <see cref="MissingTableException"/>.</summary>
    public async Task VerifyTablesAsync(IEnumerable<WarehouseTable> tables, CancellationToken cancellationToken = default)
    {
        var project = options.DataProject ?? options.Project;
        foreach (var table in tables)
        {
            var url = new Uri(options.BaseUri,
                $"bigquery/v2/projects/{Uri.EscapeDataString(project)}/datasets/{Uri.EscapeDataString(table.Dataset)}/tables/{Uri.EscapeDataString(table.Name)}");
            using var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken, notFoundIsNull: true)
                ?? throw new MissingTableException($"missing table {project}.{table.QualifiedName} in BigQuery; check the project and dataset names");
            using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            var columns = doc.RootElement.TryGetProperty("schema", out var schema)
                ? schema.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal)
                : [];
            var missing = table.Columns.Keys.Where(c => !columns.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                throw new MissingTableException($"table {project}.{table.QualifiedName} has no column {string.Join(", ", missing.Select(c => $"'{c}'"))}");
            }
        }
    }

    private async Task<JsonElement> GetResultsAsync(string projectPath, string jobId, string? location, string? pageToken, CancellationToken cancellationToken)
    {
        var url = $"{projectPath}/queries/{Uri.EscapeDataString(jobId)}?maxResults={options.PageSize}&timeoutMs=10000";
        if (location is not null)
        {
            url += "&location=" + Uri.EscapeDataString(location);
        }
        if (pageToken is not null)
        {
            url += "&pageToken=" + Uri.EscapeDataString(pageToken);
        }
        using var doc = await client.SendJsonAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(options.BaseUri, url)), cancellationToken);
        return doc.RootElement.Clone();
    }

    private static void ThrowOnJobErrors(JsonElement page, WarehouseQuery query)
    {
        if (page.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var first = errors[0];
            var reason = first.TryGetProperty("reason", out var r) ? r.GetString() : null;
            var message = first.TryGetProperty("message", out var m) ? m.GetString() : "query failed";
            throw new GoogleApiException("BigQuery", 200, reason, $"query '{query.Name}': {message}", RetryPolicy.IsRetryable(200, reason));
        }
    }

    private static JsonObject ToJson(QueryParameter p)
    {
        var (type, value) = p.Value switch
        {
            DateOnly d => ("DATE", d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            bool b => ("BOOL", b ? "true" : "false"),
            long l => ("INT64", l.ToString(CultureInfo.InvariantCulture)),
            double f => ("FLOAT64", f.ToString("R", CultureInfo.InvariantCulture)),
            string s => ("STRING", s),
            null => (p.Type.ToString().ToUpperInvariant(), null),
            var other => throw new ArgumentException($"unsupported parameter value {other.GetType().Name} for '{p.Name}'"),
        };
        var parameter = new JsonObject { ["name"] = p.Name, ["parameterType"] = new JsonObject { ["type"] = type } };
        parameter["parameterValue"] = value is null ? new JsonObject() : new JsonObject { ["value"] = value };
        return parameter;
    }

    private delegate object? FieldDecoder(string text);

    private static (Dictionary<string, int>, FieldDecoder[]) ReadSchema(JsonElement page)
    {
        if (!page.TryGetProperty("schema", out var schema))
        {
            throw new WarehouseException("BigQuery returned a completed job without a schema");
        }
        var fields = schema.GetProperty("fields").EnumerateArray().ToList();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var decoders = new FieldDecoder[fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            columns[fields[i].GetProperty("name").GetString()!] = i;
            decoders[i] = DecoderFor(fields[i].GetProperty("type").GetString()!);
        }
        return (columns, decoders);
    }

    private static FieldDecoder DecoderFor(string type) => type switch
    {
        "STRING" => s => s,
        "INTEGER" or "INT64" => s => long.Parse(s, CultureInfo.InvariantCulture),
        "FLOAT" or "FLOAT64" => s => double.Parse(s, CultureInfo.InvariantCulture),
        "NUMERIC" or "BIGNUMERIC" => s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
        "BOOLEAN" or "BOOL" => s => s.Equals("true", StringComparison.OrdinalIgnoreCase),
        "DATE" => s => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        "TIMESTAMP" => s => DateTimeOffset.UnixEpoch.AddTicks((long)(decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond)),
        _ => s => s,
    };

    private static WarehouseRow DecodeRow(JsonElement row, Dictionary<string, int> columns, FieldDecoder[] decoders)
    {
        var cells = row.GetProperty("f");
        var values = new object?[decoders.Length];
        var i = 0;
        foreach (var cell in cells.EnumerateArray())
        {
            var v = cell.GetProperty("v");
            values[i] = v.ValueKind == JsonValueKind.Null ? null : decoders[i](v.GetString()!);
            i++;
        }
        return new WarehouseRow(columns, values);
    }
}
