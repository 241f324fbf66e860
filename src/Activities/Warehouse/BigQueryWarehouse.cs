using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExportFlows.Activities.Google;
using ExportFlows.Workflows.Contracts;
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

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long one query waits for its job to complete, and how many times it asks (<c>jobs.getQueryResults</c>);
    /// at either bound the job is cancelled and the query fails naming it. The wait ends before the shortest native
    /// export's start-to-close timeout (1 min), so the bound, not the timeout, is what the failure says.
    /// </summary>
    public TimeSpan JobWait { get; init; } = DefaultJobWait;

    public static readonly TimeSpan DefaultJobWait = TimeSpan.FromSeconds(45);

    public int MaxPolls { get; init; } = DefaultMaxPolls;

    public const int DefaultMaxPolls = 90;

    /// <summary>The longest a single request waits server-side for the job (<c>timeoutMs</c>).</summary>
    public static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(10);

    /// <summary>A query answering more rows than this fails (not retried): no exporter query comes near it.</summary>
    public long MaxRows { get; init; } = DefaultMaxRows;

    public const long DefaultMaxRows = 5_000_000;

    /// <summary>A query answering more pages than this fails (not retried): bounds an answer that pages without end.</summary>
    public int MaxPages { get; init; } = DefaultMaxPages;

    public const int DefaultMaxPages = 10_000;

    /// <summary>BigQuery's <c>maximumBytesBilled</c> of every query job: one that would bill more is refused (nothing billed); null sets none.</summary>
    public long? MaxBytesBilled { get; init; }
}

/// <summary>
/// BigQuery over its REST API: <c>jobs.query</c> with named parameters, then <c>jobs.getQueryResults</c> until the
/// job is complete and every page is read. Rows are decoded by the schema the API returns. Every job carries the
/// per-query budget (<c>maximumBytesBilled</c>) and reports its statistics to the current <see cref="ExportCostMeter"/>.
/// </summary>
public sealed class BigQueryWarehouse(BigQueryOptions options, GoogleApiClient client, ILogger<BigQueryWarehouse> logger) : IWarehouse
{
    private readonly SqlDialect _dialect = SqlDialect.BigQuery(options.DataProject ?? options.Project);

    public string Description => $"bigquery:{options.Project}";

    /// <summary>The project holding the datasets at its endpoint: the job project only bills, it does not change an answer.</summary>
    public string Identity => $"bigquery:{options.DataProject ?? options.Project}@{options.BaseUri}";

    /// <summary>BigQuery's reason for a job refused by its <c>maximumBytesBilled</c>.</summary>
    public const string OverBudgetReason = "bytesBilledLimitExceeded";

    /// <summary>
    /// Runs the query; a job that fails with a retryable reason (backendError, rateLimitExceeded, …) is run again as a
    /// new job. A job over the budget fails at once with <see cref="QueryOverBudgetException"/>.
    /// </summary>
    public async Task<IReadOnlyList<WarehouseRow>> QueryAsync(WarehouseQuery query, CancellationToken cancellationToken = default)
    {
        try
        {
            return await client.RetryAnsweredErrorsAsync(() => QueryOnceAsync(query, cancellationToken), cancellationToken);
        }
        catch (GoogleApiException ex) when (ex.Reason == OverBudgetReason && options.MaxBytesBilled is { } budget)
        {
            throw new QueryOverBudgetException(query.Name, RequiredBytes(ex.ApiMessage) ?? await EstimateOrNullAsync(query, cancellationToken), budget);
        }
    }

    /// <summary>
    /// The bytes a query would process, from a dry run (<c>dryRun: true</c>): BigQuery plans the query without running
    /// it, bills nothing and answers <c>totalBytesProcessed</c>.
    /// </summary>
    public async Task<long> EstimateBytesAsync(WarehouseQuery query, CancellationToken cancellationToken = default)
    {
        var body = QueryBody(query);
        body["dryRun"] = true;
        using var answer = await client.SendJsonAsync(
            () => new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUri, $"{ProjectPath}/queries")) { Content = JsonContent.Create(body) }, cancellationToken);
        var reader = new BigQueryAnswer(query);
        return reader.Statistics(answer.RootElement).BytesProcessed ?? throw reader.Malformed("of a dry run has no totalBytesProcessed");
    }

    /// <summary>The table's <c>lastModifiedTime</c> (milliseconds since the epoch, as a string) from <c>tables.get</c>: metadata, not billed.</summary>
    public async Task<DateTimeOffset?> GetLastModifiedAsync(WarehouseTable table, CancellationToken cancellationToken = default)
    {
        using var doc = await GetTableAsync(table, cancellationToken);
        return doc.RootElement.TryGetProperty("lastModifiedTime", out var time) && time.ValueKind == JsonValueKind.String
            && long.TryParse(time.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            && milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
                ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
                : null;
    }

    /// <summary>"Query exceeded limit for bytes billed: 1000. 10485760 or higher required.": the bytes BigQuery says the query needs.</summary>
    private static long? RequiredBytes(string message) =>
        System.Text.RegularExpressions.Regex.Match(message, @"(\d+) or higher required") is { Success: true } match
        && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;

    private async Task<long?> EstimateOrNullAsync(WarehouseQuery query, CancellationToken cancellationToken)
    {
        try
        {
            return await EstimateBytesAsync(query, cancellationToken);
        }
        catch (GoogleApiException ex)
        {
            logger.LogWarning("No estimate for the refused query {Query}: {Error}", query.Name, ex.Message);
            return null;
        }
    }

    private string ProjectPath => $"bigquery/v2/projects/{Uri.EscapeDataString(options.Project)}";

    private JsonObject QueryBody(WarehouseQuery query)
    {
        var waited = Stopwatch.StartNew();
        var body = new JsonObject
        {
            ["query"] = _dialect.Render(query),
            ["useLegacySql"] = false,
            ["parameterMode"] = "NAMED",
            ["queryParameters"] = new JsonArray(query.Parameters.Select(ToJson).ToArray<JsonNode?>()),
            ["maxResults"] = options.PageSize,
            ["timeoutMs"] = LongPollMs(options.JobWait),
            // Makes a retried jobs.query idempotent: BigQuery returns the same job for the same requestId.
            ["requestId"] = Guid.NewGuid().ToString("N"),
        };
        if (options.MaxBytesBilled is { } budget)
        {
            body["maximumBytesBilled"] = budget.ToString(CultureInfo.InvariantCulture);
        }
        if (options.Location is not null)
        {
            body["location"] = options.Location;
        }
        return body;
    }

    private async Task<IReadOnlyList<WarehouseRow>> QueryOnceAsync(WarehouseQuery query, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var body = QueryBody(query);
        var projectPath = ProjectPath;
        var answer = new BigQueryAnswer(query);
        using var first = await client.SendJsonAsync(
            () => new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUri, $"{projectPath}/queries")) { Content = JsonContent.Create(body) },
            cancellationToken);

        var page = first.RootElement.Clone();
        var (jobId, location) = answer.ReadJobReference(page);
        location ??= options.Location;
        answer.ThrowOnJobErrors(page);

        List<WarehouseRow> rows = [];
        Dictionary<string, int>? columns = null;
        string[]? types = null;
        JobStatistics? statistics = null;
        var pages = 0;
        var polls = 0;
        string? pageToken = null;
        HashSet<string> tokens = new(StringComparer.Ordinal);
        while (true)
        {
            if (!answer.IsComplete(page))
            {
                var left = options.JobWait - waited.Elapsed;
                if (left <= TimeSpan.Zero || polls >= options.MaxPolls)
                {
                    throw await JobNotCompleteAsync(query, projectPath, jobId, location, waited.Elapsed, polls);
                }
                logger.LogInformation("BigQuery job {JobId} for {Query} still running", jobId, query.Name);
                await Task.Delay(left < options.PollInterval ? left : options.PollInterval, cancellationToken);
                polls++;
                page = await GetResultsAsync(projectPath, jobId, location, pageToken, options.JobWait - waited.Elapsed, cancellationToken);
                answer.ThrowOnJobErrors(page);
                continue;
            }
            if (columns is null || types is null)
            {
                (columns, types) = answer.ReadSchema(page);
                statistics = answer.Statistics(page);
                if (answer.TotalRows(page) is { } total && total > options.MaxRows)
                {
                    throw answer.TooLarge($"holds {total} rows, more than the {options.MaxRows} a query may read (ExportFlows__BigQueryMaxRows)");
                }
            }
            foreach (var row in answer.Rows(page))
            {
                if (rows.Count >= options.MaxRows)
                {
                    throw answer.TooLarge($"holds more than the {options.MaxRows} rows a query may read (ExportFlows__BigQueryMaxRows)");
                }
                rows.Add(new WarehouseRow(columns, answer.DecodeRow(row, columns, types, rows.Count + 1), query));
            }
            pages++;
            pageToken = answer.PageToken(page);
            if (string.IsNullOrEmpty(pageToken))
            {
                break;
            }
            if (!tokens.Add(pageToken))
            {
                throw answer.Malformed($"repeats the page token '{(pageToken.Length <= 40 ? pageToken : pageToken[..40] + "…")}' of an earlier page (after page {pages}): paging it would never end");
            }
            if (pages >= options.MaxPages)
            {
                throw answer.TooLarge($"has more than the {options.MaxPages} pages a query may read (ExportFlows__BigQueryMaxPages)");
            }
            page = await GetResultsAsync(projectPath, jobId, location, pageToken, BigQueryOptions.LongPoll, cancellationToken);
            answer.ThrowOnJobErrors(page);
        }
        if (statistics is not { IsComplete: true })
        {
            statistics = (statistics ?? new JobStatistics(null, null, null, null)).Or(await GetJobStatisticsAsync(answer, projectPath, jobId, location, cancellationToken));
        }
        ExportCostMeter.Record(ExportCost.BigQueryJob(jobId, rows.Count, statistics.BytesProcessed, statistics.BytesBilled, statistics.SlotMs, statistics.CacheHit));
        logger.LogDebug("BigQuery {Query}: {Rows} rows in {Pages} pages (job {JobId}; {Processed} bytes processed, {Billed} billed, {SlotMs} slot-ms, cache hit {CacheHit})",
            query.Name, rows.Count, pages, jobId, statistics.BytesProcessed, statistics.BytesBilled, statistics.SlotMs, statistics.CacheHit);
        return rows;
    }

    /// <summary>
    /// The statistics <c>jobs.getQueryResults</c> does not carry (bytes billed, slot-ms), from <c>jobs.get</c>. The rows
    /// are already read, so a failure here leaves the figures unknown instead of failing the query.
    /// </summary>
    private async Task<JobStatistics> GetJobStatisticsAsync(BigQueryAnswer answer, string projectPath, string jobId, string? location, CancellationToken cancellationToken)
    {
        var url = $"{projectPath}/jobs/{Uri.EscapeDataString(jobId)}" + (location is null ? "" : "?location=" + Uri.EscapeDataString(location));
        try
        {
            using var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(options.BaseUri, url)), cancellationToken, notFoundIsNull: true);
            if (response is null)
            {
                return new JobStatistics(null, null, null, null);
            }
            using var job = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return answer.JobStatistics(job.RootElement);
        }
        catch (Exception ex) when (ex is GoogleApiException or JsonException)
        {
            logger.LogWarning("No statistics for BigQuery job {JobId}: {Error}", jobId, ex.Message);
            return new JobStatistics(null, null, null, null);
        }
    }

    /// <summary>Reads each table's schema with <c>tables.get</c>; a 404 or a missing column is a <see cref="MissingTableException"/>.</summary>
    public async Task VerifyTablesAsync(IEnumerable<WarehouseTable> tables, CancellationToken cancellationToken = default)
    {
        foreach (var table in tables)
        {
            using var doc = await GetTableAsync(table, cancellationToken);
            var columns = ReadColumns(doc.RootElement, TableName(table));
            var missing = table.Columns.Keys.Where(c => !columns.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                throw new MissingTableException($"table {TableName(table)} has no column {string.Join(", ", missing.Select(c => $"'{c}'"))}");
            }
        }
    }

    private string TableName(WarehouseTable table) => $"{options.DataProject ?? options.Project}.{table.QualifiedName}";

    /// <summary>The <c>tables.get</c> answer, a JSON object; a 404 is a <see cref="MissingTableException"/>, another shape malformed (not retried).</summary>
    private async Task<JsonDocument> GetTableAsync(WarehouseTable table, CancellationToken cancellationToken)
    {
        var project = options.DataProject ?? options.Project;
        var url = new Uri(options.BaseUri,
            $"bigquery/v2/projects/{Uri.EscapeDataString(project)}/datasets/{Uri.EscapeDataString(table.Dataset)}/tables/{Uri.EscapeDataString(table.Name)}");
        using var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken, notFoundIsNull: true)
            ?? throw new MissingTableException($"missing table {TableName(table)} in BigQuery; check the project and dataset names");
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            throw MalformedTable(TableName(table), $"is not JSON ({ex.Message})");
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = doc.RootElement.ValueKind;
            doc.Dispose();
            throw MalformedTable(TableName(table), $"is a JSON {kind}, not an object");
        }
        return doc;
    }

    private static GoogleApiException MalformedTable(string table, string what) =>
        new("BigQuery", 200, BigQueryAnswer.MalformedReason, $"the answer to tables.get of {table} {what}; an answer BigQuery does not give is not retried", retryable: false);

    /// <summary>The column names of a <c>tables.get</c> answer; an answer of another shape is malformed (not retried).</summary>
    private static HashSet<string> ReadColumns(JsonElement root, string table)
    {
        if (!root.TryGetProperty("schema", out var schema) || schema.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Array)
        {
            throw MalformedTable(table, "has a schema without a fields array");
        }
        return fields.EnumerateArray()
            .Select(f => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()!
                : throw MalformedTable(table, "has a schema field without a name"))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The job did not complete within <see cref="BigQueryOptions.JobWait"/> or <see cref="BigQueryOptions.MaxPolls"/>:
    /// it is cancelled (so a retry does not queue a second job behind it) and the failure names it. Retried as a
    /// <see cref="WarehouseException"/>: a job queued for slots may well run on the export's next attempt.
    /// </summary>
    private async Task<WarehouseException> JobNotCompleteAsync(WarehouseQuery query, string projectPath, string jobId, string? location, TimeSpan waited, int polls)
    {
        var cancelled = await CancelJobAsync(projectPath, jobId, location);
        return new WarehouseException(
            $"BigQuery job {jobId} of query '{query.Name}' did not complete: jobComplete was still false after {Seconds(waited)} and {polls} polls, " +
            $"the most one query waits ({Seconds(options.JobWait)} or {options.MaxPolls} polls: ExportFlows__BigQueryJobWait, ExportFlows__BigQueryMaxPolls); " +
            $"{(cancelled ? "the job was cancelled" : "cancelling the job failed")} and the export is retried. If this repeats, look at the job in BigQuery " +
            $"(bq show -j {jobId}: queued for slots, or a slow query?) or raise those bounds");
    }

    /// <summary>Best effort, within a few seconds: a job left running only costs slots, never a wrong document.</summary>
    private async Task<bool> CancelJobAsync(string projectPath, string jobId, string? location)
    {
        var url = $"{projectPath}/jobs/{Uri.EscapeDataString(jobId)}/cancel" + (location is null ? "" : "?location=" + Uri.EscapeDataString(location));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUri, url)), limit.Token);
            return true;
        }
        catch (Exception ex) when (ex is GoogleApiException or OperationCanceledException or HttpRequestException)
        {
            logger.LogWarning("Could not cancel BigQuery job {JobId}: {Error}", jobId, ex.Message);
            return false;
        }
    }

    private static string Seconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.###} s");

    /// <summary>How long one request may wait server-side: <see cref="BigQueryOptions.LongPoll"/>, less near the end of the wait.</summary>
    private static long LongPollMs(TimeSpan left) => (long)Math.Clamp(left.TotalMilliseconds, 1, BigQueryOptions.LongPoll.TotalMilliseconds);

    private async Task<JsonElement> GetResultsAsync(string projectPath, string jobId, string? location, string? pageToken, TimeSpan left, CancellationToken cancellationToken)
    {
        var url = $"{projectPath}/queries/{Uri.EscapeDataString(jobId)}?maxResults={options.PageSize}&timeoutMs={LongPollMs(left)}";
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
}
