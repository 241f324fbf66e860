using System.Globalization;
using System.Text.Json;
using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Workflows.Events;

/// <summary>Evaluates an event's run conditions against a read message: what runs, and why each skipped entry is skipped.</summary>
public static class EventConditions
{
    public static IReadOnlyList<EventRunDecision> Decide(CatalogEvent ev, EventRequest request)
    {
        if (ev.Runs.Count == 0 || request.Types.Any(t => ev.Runs.All(r => r.Name != t)))
        {
            // The types the message listed, the orchestrator's list or a flag form: no conditions apply.
            return request.Types.Select(t => new EventRunDecision(t, true, "requested")).ToList();
        }
        return ev.Runs.Select(run => Decide(run, request.Values)).ToList();
    }

    public static EventRunDecision Decide(EventRun run, IReadOnlyDictionary<string, string> values)
    {
        foreach (var condition in run.When)
        {
            var value = values.GetValueOrDefault(condition.Field);
            if (value is null || !Holds(condition, value))
            {
                var shown = value is null ? $"{condition.Field} missing" : $"{condition.Field} = {value}";
                return new EventRunDecision(run.Name, false, $"skipped: condition {condition} is false ({shown})");
            }
        }
        return new EventRunDecision(run.Name, true, run.When.Count == 0 ? "runs unconditionally" : $"condition {string.Join(" and ", run.When)} holds");
    }

    private static bool Holds(EventCondition condition, string value) => condition.Operator switch
    {
        EventConditionOperator.Above => Number(value) is { } v && Number(condition.Operands[0]) is { } limit && v > limit,
        _ => condition.Operands.Any(operand => Same(operand, value)),
    };

    private static bool Same(string a, string b) =>
        Number(a) is { } x && Number(b) is { } y ? x == y : string.Equals(Canonical(a), Canonical(b), StringComparison.Ordinal);

    private static decimal? Number(string json) =>
        decimal.TryParse(json, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string Canonical(string json) =>
        json.StartsWith('"') ? JsonSerializer.Deserialize<string>(json) ?? "" : json;
}
