using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Workflows.Scheduling;

/// <summary>
/// What refreshes each type of a catalog: the schedules whose runs export it (<see cref="ExportScheduleEntry.Exports"/>,
/// enabled ones only), then the events that run it, in catalog order, and last the events that run what their message
/// lists. A run of rows also runs the rows they depend on, so an event or schedule refreshes the closure of what it
/// names (<see cref="ExportGraph.Close"/>). An event with <c>runs_from</c> can run any type (when a message lists it):
/// a type refreshed by that alone is refreshed, but only as often as the message's publisher names it.
/// </summary>
public sealed class ExportRefreshers
{
    /// <summary>
    /// The event the worker's push endpoint and <c>trigger</c> serve for the orchestrator's list whatever the catalog
    /// says: it stands in for a catalog that declares no event with <c>runs_orchestrator</c> (one written before events).
    /// </summary>
    public const string BuiltInOrchestratorEvent = "predictions-complete";

    /// <summary>What to do about an enabled type nothing refreshes: one wording for <c>status</c> and <c>schedules sync</c>.</summary>
    public const string NothingRefreshesAdvice =
        "add it to the types of a [schedules.*] entry or to the runs of an [events.*] table (or the orchestrator list) in the catalog, or disable it";

    /// <summary>The condition printed for a <c>runs_from</c> event.</summary>
    public const string ListedCondition = "when a message lists it";

    private readonly Dictionary<string, List<ExportRefresher>> _byType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ExportScheduleEntry>> _schedules = new(StringComparer.Ordinal);

    public ExportRefreshers(ExportCatalog catalog, IReadOnlyList<ExportScheduleEntry> schedules)
    {
        foreach (var row in catalog.Types)
        {
            var entries = schedules.Where(e => e.Exports(catalog, row.Name)).ToList();
            _schedules[row.Name] = entries;
            _byType[row.Name] = entries.Select(e => new ExportRefresher(ExportRefresherKind.Schedule, e.Id)).ToList();
        }
        if (!catalog.Events.Any(e => e.RunsOrchestrator))
        {
            Add(catalog, catalog.Orchestrator, new ExportRefresher(ExportRefresherKind.Orchestrator, BuiltInOrchestratorEvent));
        }
        foreach (var ev in catalog.Events)
        {
            if (ev.RunsOrchestrator)
            {
                Add(catalog, catalog.Orchestrator, new ExportRefresher(ExportRefresherKind.Orchestrator, ev.Name));
            }
            AddRuns(catalog, ev);
            if (ev.Flag is { } flag)
            {
                Add(catalog, flag.Runs, new ExportRefresher(ExportRefresherKind.Flag, ev.Name, $"{flag.Field} = true"));
            }
        }
        // Last: a message that lists the type is the least certain refresher, and it can name every type.
        foreach (var ev in catalog.Events.Where(e => e.RunsFrom is not null))
        {
            Add(catalog, catalog.TypeNames.ToList(), new ExportRefresher(ExportRefresherKind.Listed, ev.Name, ListedCondition));
        }
    }

    /// <summary>The schedules first (catalog order), then the events that run it, then those that run what a message lists; empty when nothing refreshes the type.</summary>
    public IReadOnlyList<ExportRefresher> For(string type) => _byType.TryGetValue(type, out var list) ? list : [];

    /// <summary>The enabled schedules whose runs export the type.</summary>
    public IReadOnlyList<ExportScheduleEntry> SchedulesOf(string type) => _schedules.TryGetValue(type, out var list) ? list : [];

    /// <summary>
    /// An event's <c>runs</c>: each type reached, once, with the conditions under which it runs. A type reached by an entry
    /// without condition always runs; reached only by entries with conditions, it runs when any of them holds.
    /// </summary>
    private void AddRuns(ExportCatalog catalog, CatalogEvent ev)
    {
        var conditions = new Dictionary<string, List<string>?>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var run in ev.Runs)
        {
            var condition = run.When.Count == 0 ? null : "when " + string.Join(" and ", run.When);
            foreach (var type in Closure(catalog, [run.Name]))
            {
                if (!conditions.TryGetValue(type, out var found))
                {
                    order.Add(type);
                    conditions[type] = condition is null ? null : [condition];
                }
                else if (found is not null)
                {
                    if (condition is null)
                    {
                        conditions[type] = null;
                    }
                    else if (!found.Contains(condition))
                    {
                        found.Add(condition);
                    }
                }
            }
        }
        foreach (var type in order)
        {
            var when = conditions[type] is { } list ? string.Join(", or ", list) : null;
            _byType[type].Add(new ExportRefresher(ExportRefresherKind.Runs, ev.Name, when));
        }
    }

    private void Add(ExportCatalog catalog, IReadOnlyList<string> names, ExportRefresher refresher)
    {
        foreach (var type in Closure(catalog, names))
        {
            _byType[type].Add(refresher);
        }
    }

    private static IReadOnlyList<string> Closure(ExportCatalog catalog, IReadOnlyList<string> names) =>
        names.Count == 0 ? [] : ExportGraph.Close(catalog, ExportPlanner.ExpandTypes(catalog, names));
}
