using System.Text.Json;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Workflows.Events;

/// <summary>
/// The export request one read message runs: every entry of the event (a false condition reported skipped with its
/// reason, never silently dropped), the event's fixed order, and the message's date, options and values. The trigger is
/// the message's <c>trigger_source</c> when the event reads one (the original's name for the caller, e.g.
/// <c>post-grading</c>), else the event's name.
/// </summary>
public static class EventExportRequest
{
    public const string TriggerSourceField = "trigger_source";

    public static ExportRequest For(CatalogEvent ev, ExportCatalog catalog, EventRequest request) =>
        For(ev, catalog, request, EventConditions.Decide(ev, request));

    /// <param name="decisions">What <see cref="EventConditions.Decide(CatalogEvent, EventRequest)"/> decided for each entry.</param>
    public static ExportRequest For(CatalogEvent ev, ExportCatalog catalog, EventRequest request, IReadOnlyList<EventRunDecision> decisions)
    {
        // A type another entry runs (e.g. inside a group listed unconditionally) runs: it is not skipped.
        var running = decisions.Where(d => d.Runs).SelectMany(d => Members(catalog, d.Name)).ToHashSet(StringComparer.Ordinal);
        var skip = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var decision in decisions.Where(d => !d.Runs))
        {
            foreach (var type in Members(catalog, decision.Name).Where(t => !running.Contains(t)))
            {
                skip.TryAdd(type, decision.Reason);
            }
        }
        var order = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (decisions.All(d => ev.Runs.Any(r => r.Name == d.Name)))
        {
            foreach (var run in ev.Runs.Where(r => r.After.Count > 0))
            {
                var earlier = run.After.SelectMany(a => Members(catalog, a)).Distinct(StringComparer.Ordinal).ToList();
                foreach (var type in Members(catalog, run.Name))
                {
                    order[type] = earlier;
                }
            }
        }
        return new ExportRequest(
            decisions.Select(d => d.Name).ToList(),
            ExportDates.ToText(request.Date),
            Trigger: Text(request, TriggerSourceField) ?? ev.Name,
            CorrelationId: request.CorrelationId,
            UpdateLatest: request.UpdateLatest,
            Options: request.Options.Count == 0 ? null : request.Options,
            SkipReasons: skip.Count == 0 ? null : skip,
            RunAfter: order.Count == 0 ? null : order);
    }

    /// <summary>Two messages that ask for the same work: the same request apart from who sent it (correlation id, trigger source).</summary>
    public static string CoalescingKey(EventRequest request) => JsonSerializer.Serialize(new
    {
        date = ExportDates.ToText(request.Date),
        types = request.Types,
        options = request.Options.OrderBy(p => p.Key, StringComparer.Ordinal).ToList(),
        values = request.Values.Where(p => p.Key is not "correlation_id" and not TriggerSourceField).OrderBy(p => p.Key, StringComparer.Ordinal).ToList(),
    });

    private static IReadOnlyList<string> Members(ExportCatalog catalog, string name) =>
        catalog.Groups.TryGetValue(name, out var members) ? members : [name];

    private static string? Text(EventRequest request, string field) =>
        request.Values.TryGetValue(field, out var json) && json.StartsWith('"') ? JsonSerializer.Deserialize<string>(json) : null;
}
