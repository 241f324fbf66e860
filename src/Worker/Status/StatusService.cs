using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Storage;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Status;

public sealed record RunSummary(string WorkflowId, string Status, DateTimeOffset StartedAt);

public sealed record EndpointStatus(
    string Type,
    string ObjectName,
    DateTimeOffset? Updated,
    string Freshness,
    string Detail,
    IReadOnlyList<RunSummary>? RecentRuns,
    IReadOnlyList<DateTimeOffset> NextFireTimes,
    string Refresh)
{
    /// <summary>What refreshes the type, one by one (<see cref="Refresh"/> is them as printed): schedules, then events.</summary>
    public IReadOnlyList<ExportRefresher> RefreshedBy { get; init; } = [];

    /// <summary>How many per-player objects the endpoint covers; null for a single object.</summary>
    public int? Objects { get; init; }

    /// <summary>The object's path pattern under the prefix (e.g. <c>results/{date}.json</c>): stable across dates, unlike <see cref="ObjectName"/>.</summary>
    public string? Pattern { get; init; }

    /// <summary>
    /// When a run last found the document's inputs unchanged and left it in place (later than <see cref="Updated"/>, which
    /// stays when it was written); freshness counts from the later of the two.
    /// </summary>
    public DateTimeOffset? Confirmed { get; init; }

    /// <summary>Stale, missing, or the latest run failed.</summary>
    public bool Unhealthy => Freshness != "fresh" || RecentRuns?.FirstOrDefault() is { Status: "Failed" or "TimedOut" or "Terminated" };
}

/// <summary>
/// Gathers, per endpoint of every enabled export type, the object's metadata, its freshness verdict, recent runs and
/// the next fire times. Fixed paths and latest/today companions are one endpoint each; per-player objects are one
/// endpoint with their count (<see cref="EndpointStatus.Objects"/>) and the newest one's time.
/// </summary>
public sealed class StatusService(IObjectStore store, ExportCatalog catalog, IReadOnlyList<ExportScheduleEntry> schedules, ITemporalClient? client,
    IReadOnlySet<string> enabledTypes)
{
    /// <summary>
    /// Why the runs part is missing although a server is configured: the server cannot list workflows (no visibility,
    /// e.g. the time-skipping test server) or did not answer. Freshness is reported all the same.
    /// </summary>
    public string? RunsUnavailable { get; private set; }

    private readonly IReadOnlySet<string> _enabled = enabledTypes;

    public async Task<IReadOnlyList<EndpointStatus>> CheckAsync(DateOnly date, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dateText = ExportDates.ToText(date);
        var lastComplete = await LastPredictionsCompleteAsync(date);
        var result = new List<EndpointStatus>();
        var refreshers = new ExportRefreshers(catalog, schedules);
        foreach (var row in catalog.Types.Where(t => _enabled.Contains(t.Name)))
        {
            var type = row.Name;
            var entries = refreshers.SchedulesOf(type);
            var next = entries.SelectMany(e => ExportScheduleCatalog.NextFireTimes(e, now, 3)).Order().Take(3).ToList();
            var by = refreshers.For(type);
            var refresh = string.Join(", ", by);
            var runs = await RecentRunsAsync(type, row.DateKeyedObject ? dateText : null);
            foreach (var spec in row.Objects)
            {
                var (name, updated, count, confirmed) = await ReadAsync(spec, date, cancellationToken);
                // A document confirmed current (its inputs unchanged) is as fresh as one written then.
                var current = confirmed > updated ? confirmed : updated;
                var verdict = by.Count == 0
                    ? FreshnessRules.NeverRefreshed(current, now)
                    : Verdict(row, spec, current, date, lastComplete, by, entries, now);
                var detail = confirmed > updated
                    ? $"{verdict.Detail}; counted from {Eastern(confirmed.Value)}, when its inputs were found unchanged since it was computed ({Eastern(updated!.Value)})"
                    : verdict.Detail;
                result.Add(new EndpointStatus(type, name, updated, FreshnessRules.Word(verdict.State), detail, runs, next, refresh)
                {
                    Objects = count,
                    Pattern = spec.Pattern,
                    Confirmed = confirmed > updated ? confirmed : null,
                    RefreshedBy = by,
                });
            }
        }
        return result;
    }

    private static string Eastern(DateTimeOffset at) =>
        ExportDates.EasternDateTime(at).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " ET";

    private async Task<(string Name, DateTimeOffset? Updated, int? Count, DateTimeOffset? Confirmed)> ReadAsync(ExportObjectSpec spec, DateOnly date, CancellationToken cancellationToken)
    {
        var name = spec.Name(date);
        if (spec.Kind != ExportObjectKind.PerPlayer)
        {
            var meta = await store.GetMetadataAsync(name, cancellationToken);
            return (name, meta?.Updated, null, meta?.ConfirmedAt);
        }
        // The spec's own rule of a player's object: directly in the folder (a listing holds the folders inside it too).
        var players = (await store.ListAsync(name, cancellationToken)).Where(o => spec.Matches(o.Name, date) && o.Name != spec.Except).ToList();
        return ($"{name}*.json ({players.Count} objects)", players.Count == 0 ? null : players.Max(o => o.Updated), players.Count, null);
    }

    /// <summary>
    /// The native exporters' own rules (by implementation); every other row by its schedules and the predictions-complete
    /// event, or, refreshed only by events without a clock, by its age.
    /// </summary>
    private FreshnessVerdict Verdict(ExportTypeRow row, ExportObjectSpec spec, DateTimeOffset? updated, DateOnly date, DateTimeOffset? lastComplete,
        IReadOnlyList<ExportRefresher> by, IReadOnlyList<ExportScheduleEntry> entries, DateTimeOffset now)
    {
        if (!row.IsExternal)
        {
            switch (row.Implementation)
            {
                case SubsetPicksExporter.Name or DailySignalsExporter.Name:
                    return FreshnessRules.DateKeyed(updated, lastComplete, now);
                case SubsetPerformanceExporter.Name:
                    return FreshnessRules.Performance(updated, now);
                case SubsetDefinitionsExporter.Name:
                    return FreshnessRules.Definitions(updated, now);
            }
        }
        var byOrchestrator = by.Any(r => r.Kind == ExportRefresherKind.Orchestrator);
        if (entries.Count == 0 && !byOrchestrator)
        {
            return FreshnessRules.ByEventsOnly(updated, Names(by, k => k is ExportRefresherKind.Runs or ExportRefresherKind.Flag),
                Names(by, k => k == ExportRefresherKind.Listed), now);
        }
        var lastDue = FreshnessRules.LastDue(catalog, entries, row.Name, spec.Kind == ExportObjectKind.DateKeyed ? date : null, now);
        if (byOrchestrator && lastComplete is { } complete && (lastDue is null || complete > lastDue))
        {
            lastDue = complete;
        }
        return FreshnessRules.Scheduled(updated, lastDue, now);
    }

    private static IReadOnlyList<string> Names(IReadOnlyList<ExportRefresher> by, Func<ExportRefresherKind, bool> kind) =>
        by.Where(r => kind(r.Kind)).Select(r => r.Name).Distinct(StringComparer.Ordinal).ToList();

    private async Task<IReadOnlyList<RunSummary>?> RecentRunsAsync(string type, string? date)
    {
        if (client is null || RunsUnavailable is not null)
        {
            return null;
        }
        var query = $"ExportTypes = '{type}'" + (date is null ? "" : $" AND ExportDate = '{date}'");
        var runs = new List<RunSummary>();
        try
        {
            await foreach (var run in client.ListWorkflowsAsync(query, new WorkflowListOptions { Limit = 3 }))
            {
                runs.Add(new RunSummary(run.Id, run.Status.ToString(), run.StartTime));
            }
        }
        catch (RpcException ex) when (ex.Code is RpcException.StatusCode.Unimplemented or RpcException.StatusCode.InvalidArgument)
        {
            RunsUnavailable = "this Temporal server cannot list workflows (no visibility or no custom search attributes, e.g. the time-skipping test server): " +
                $"{ex.Message.Split('\n')[0]}; run 'exportflows setup' on a cluster, or see runs in the Temporal UI";
            return null;
        }
        catch (RpcException ex)
        {
            RunsUnavailable = $"the Temporal server did not answer the runs query ({ex.Code}: {ex.Message.Split('\n')[0]})";
            return null;
        }
        return runs.OrderByDescending(r => r.StartedAt).ToList();
    }

    /// <summary>When the date's last "predictions complete" message reached the tonight workflow.</summary>
    private async Task<DateTimeOffset?> LastPredictionsCompleteAsync(DateOnly date)
    {
        if (client is null)
        {
            return null;
        }
        try
        {
            var history = await client.GetWorkflowHandle(Phase6Client.TonightWorkflowId(date)).FetchHistoryAsync();
            return history.Events.Where(e => e.EventType == EventType.WorkflowExecutionSignaled)
                .Select(e => (DateTimeOffset?)e.EventTime.ToDateTimeOffset()).LastOrDefault();
        }
        catch (RpcException ex) when (ex.Code == RpcException.StatusCode.NotFound)
        {
            return null;
        }
        catch (RpcException ex)
        {
            RunsUnavailable ??= $"the Temporal server did not answer ({ex.Code}: {ex.Message.Split('\n')[0]})";
            return null;
        }
    }
}
