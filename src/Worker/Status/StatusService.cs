using ExportFlows.Activities.Storage;
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
    /// <summary>Stale, missing, or the latest run failed.</summary>
    public bool Unhealthy => Freshness != "fresh" || RecentRuns?.FirstOrDefault() is { Status: "Failed" or "TimedOut" or "Terminated" };
}

/// <summary>Gathers, per endpoint, the object's metadata, its freshness verdict, recent runs and the next fire times.</summary>
public sealed class StatusService(IObjectStore store, string objectPrefix, IReadOnlyList<ExportScheduleEntry> catalog, ITemporalClient? client)
{
    /// <summary>
    /// Why the runs part is missing although a server is configured: the server cannot list workflows (no visibility,
    /// e.g. the time-skipping test server) or did not answer. Freshness is reported all the same.
    /// </summary>
    public string? RunsUnavailable { get; private set; }

    public async Task<IReadOnlyList<EndpointStatus>> CheckAsync(DateOnly date, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dateText = ExportDates.ToText(date);
        var lastComplete = await LastPredictionsCompleteAsync(date);
        var endpoints = new (string Type, string Object, Func<DateTimeOffset?, FreshnessVerdict> Rule)[]
        {
            (ExportTypeCatalog.SubsetPicks, $"{objectPrefix}picks/{dateText}.json", u => FreshnessRules.DateKeyed(u, lastComplete, now)),
            (ExportTypeCatalog.DailySignals, $"{objectPrefix}signals/{dateText}.json", u => FreshnessRules.DateKeyed(u, lastComplete, now)),
            (ExportTypeCatalog.SubsetPerformance, $"{objectPrefix}subsets/performance.json", u => FreshnessRules.Performance(u, now)),
            (ExportTypeCatalog.SubsetDefinitions, $"{objectPrefix}systems/subsets.json", u => FreshnessRules.Definitions(u, now)),
        };
        var result = new List<EndpointStatus>();
        foreach (var (type, name, rule) in endpoints)
        {
            var metadata = await store.GetMetadataAsync(name, cancellationToken);
            var verdict = rule(metadata?.Updated);
            var schedules = catalog.Where(e => e.Types.Contains(type)).ToList();
            var next = schedules.SelectMany(e => ExportScheduleCatalog.NextFireTimes(e, now, 3)).Order().Take(3).ToList();
            var refresh = string.Join(", ", schedules.Select(e => e.Id).Prepend(ExportTypeCatalog.TonightTypes.Contains(type) ? "event: predictions-complete" : null).OfType<string>());
            var dateKeyed = ExportTypeCatalog.GetImplemented(type).DateKeyedObject;
            var runs = await RecentRunsAsync(type, dateKeyed ? dateText : null);
            result.Add(new EndpointStatus(type, name, metadata?.Updated, verdict.State.ToString().ToLowerInvariant(), verdict.Detail, runs, next, refresh));
        }
        return result;
    }

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
