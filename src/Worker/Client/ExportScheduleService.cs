using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Converters;

namespace ExportFlows.Worker.Client;

/// <summary>Creates, updates, lists and operates the catalog's Temporal Schedules.</summary>
public sealed class ExportScheduleService(ITemporalClient client, string taskQueue)
{
    public Schedule Build(ExportScheduleEntry entry)
    {
        var request = entry.Request;
        var action = ScheduleActionStartWorkflow.Create((Phase6ExportWorkflow wf) => wf.RunAsync(request), new WorkflowOptions(entry.Id, taskQueue)
        {
            Memo = new Dictionary<string, object> { [ScheduleSync.FingerprintMemoKey] = ScheduleSync.Fingerprint(entry, taskQueue) },
            StaticSummary = RunMetadata.Summary(entry.Types, entry.TargetDate ?? (entry.AsOf is { } asOf ? "as of " + asOf : null), $"schedule:{entry.Id}"),
            StaticDetails = RunMetadata.Details(("started by", $"Temporal Schedule {entry.Id} (exportflows schedules sync)"), ("note", entry.Note)),
        });
        var spec = new ScheduleSpec
        {
            Calendars = [ExportScheduleCalendar.For(entry)],
            TimeZoneName = ExportScheduleCatalog.TimeZone,
        };
        return new Schedule(action, spec)
        {
            Policy = new SchedulePolicy
            {
                Overlap = entry.Overlap == ScheduleOverlap.Skip ? ScheduleOverlapPolicy.Skip : ScheduleOverlapPolicy.BufferOne,
                CatchupWindow = entry.CatchupWindow,
            },
            State = new ScheduleState { Note = entry.Note },
        };
    }

    public async Task<IReadOnlyList<ExistingSchedule>> ExistingAsync(CancellationToken cancellationToken)
    {
        var result = new List<ExistingSchedule>();
        await foreach (var listed in client.ListSchedulesAsync().WithCancellation(cancellationToken))
        {
            var description = await client.GetScheduleHandle(listed.Id).DescribeAsync();
            result.Add(new ExistingSchedule(listed.Id, await FingerprintOfAsync(description)));
        }
        return result;
    }

    public async Task<IReadOnlyList<ScheduleSyncChange>> SyncAsync(IReadOnlyList<ExportScheduleEntry> catalog, bool prune, bool dryRun, CancellationToken cancellationToken)
    {
        var changes = ScheduleSync.Diff(catalog, taskQueue, await ExistingAsync(cancellationToken), prune);
        if (dryRun)
        {
            return changes;
        }
        var entries = catalog.ToDictionary(e => e.Id, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            switch (change.Action)
            {
                case ScheduleSyncAction.Create:
                    await client.CreateScheduleAsync(change.Id, Build(entries[change.Id]));
                    break;
                case ScheduleSyncAction.Update:
                    // Keeps the schedule's state: a schedule paused as a rollback stays paused.
                    await client.GetScheduleHandle(change.Id).UpdateAsync(input =>
                        new ScheduleUpdate(Build(entries[change.Id]) with { State = input.Description.Schedule.State }));
                    break;
                case ScheduleSyncAction.Delete:
                    await client.GetScheduleHandle(change.Id).DeleteAsync();
                    break;
            }
        }
        return changes;
    }

    public async Task<IReadOnlyList<ScheduleListing>> ListAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var listings = new List<ScheduleListing>();
        foreach (var id in ids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ScheduleDescription description;
            try
            {
                description = await client.GetScheduleHandle(id).DescribeAsync();
            }
            catch (Temporalio.Exceptions.RpcException ex) when (ex.Code == Temporalio.Exceptions.RpcException.StatusCode.NotFound)
            {
                listings.Add(new ScheduleListing(id, false, "not created: run 'exportflows schedules sync'", [], "-"));
                continue;
            }
            var next = description.Info.NextActionTimes.Take(5).Select(t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))).ToList();
            listings.Add(new ScheduleListing(id, description.Schedule.State.Paused, description.Schedule.State.Note, next, await LastResultAsync(description)));
        }
        return listings;
    }

    public Task PauseAsync(string id, string note) => client.GetScheduleHandle(id).PauseAsync(note);

    public Task UnpauseAsync(string id, string? note) => client.GetScheduleHandle(id).UnpauseAsync(note);

    public Task TriggerAsync(string id) => client.GetScheduleHandle(id).TriggerAsync(new ScheduleTriggerOptions { Overlap = ScheduleOverlapPolicy.AllowAll });

    /// <summary>Runs every fire time between the start of <paramref name="from"/> and the end of <paramref name="to"/> (America/New_York).</summary>
    public Task BackfillAsync(string id, DateOnly from, DateOnly to)
    {
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), ExportDates.Eastern.GetUtcOffset(from.ToDateTime(TimeOnly.MinValue))).UtcDateTime;
        var endLocal = to.AddDays(1).ToDateTime(TimeOnly.MinValue);
        var end = new DateTimeOffset(endLocal, ExportDates.Eastern.GetUtcOffset(endLocal)).UtcDateTime;
        return client.GetScheduleHandle(id).BackfillAsync([new ScheduleBackfill(start, end, ScheduleOverlapPolicy.AllowAll)]);
    }

    private async Task<string> LastResultAsync(ScheduleDescription description)
    {
        var last = description.Info.RecentActions.LastOrDefault();
        if (last?.Action is not ScheduleActionExecutionStartWorkflow started)
        {
            return "no run yet";
        }
        var workflow = await client.GetWorkflowHandle(started.WorkflowId).DescribeAsync();
        return $"{workflow.Status} ({started.WorkflowId}, scheduled {last.ScheduledAt:yyyy-MM-dd HH:mm}Z)";
    }

    private static async Task<string?> FingerprintOfAsync(ScheduleDescription description)
    {
        if (description.Schedule.Action is not ScheduleActionStartWorkflow action || action.Options.Memo is not { } memo ||
            !memo.TryGetValue(ScheduleSync.FingerprintMemoKey, out var value))
        {
            return null;
        }
        return value switch
        {
            IEncodedRawValue raw => await raw.ToValueAsync<string>(),
            string text => text,
            _ => null,
        };
    }
}
