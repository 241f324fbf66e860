using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;

namespace ExportFlows.Workflows.Planning;

/// <summary>
/// Runs a plan's jobs as a graph: a job without dependencies starts at once, in plan order; a job with dependencies
/// starts as soon as its own dependencies ended (not in waves). A hard dependency (<c>requires</c>) that did not
/// succeed, or a required value its producer did not give, reports the job not run, naming why. The same code serves
/// the workflow (with <c>Workflow.WhenAllAsync</c>) and the in-process engine (with <c>Task.WhenAll</c>).
/// </summary>
public static class ExportGraph
{
    /// <summary>The requested types and, transitively, the rows they depend on: each dependency before its first dependent.</summary>
    public static IReadOnlyList<string> Close(ExportCatalog catalog, IReadOnlyList<string> types)
    {
        var ordered = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            Visit(type);
        }
        return ordered;

        void Visit(string type)
        {
            if (!seen.Add(type))
            {
                return;
            }
            foreach (var dependency in catalog.Get(type).DependsOn)
            {
                Visit(dependency);
            }
            ordered.Add(type);
        }
    }

    public static async Task<ExportOutcome[]> RunAsync(
        ExportPlan plan,
        Func<string, ExportTypeRow> rowOf,
        Func<ExportJob, IReadOnlyDictionary<string, ExportOutcome>, Task<ExportOutcome>> run,
        Func<IReadOnlyList<Task<ExportOutcome>>, Task<ExportOutcome[]>> whenAll)
    {
        var started = new Dictionary<string, Task<ExportOutcome>>(StringComparer.Ordinal);
        foreach (var job in plan.Jobs)
        {
            var row = rowOf(job.Type);
            if (plan.SkipReasons.TryGetValue(job.Type, out var reason))
            {
                started[job.Type] = Task.FromResult(new ExportOutcome(job.Type, ExportStatus.Skipped, null, 0, 0, 0, reason) { Step = row.IsStep });
                continue;
            }
            var waits = row.DependsOn.Concat(plan.RunAfter.GetValueOrDefault(job.Type) ?? []).Where(started.ContainsKey).Distinct().ToList();
            started[job.Type] = waits.Count == 0 && row.Requires.Count == 0 && !NeedsValues(row)
                ? run(job, Empty)
                : AfterAsync(job, row, waits.Select(w => started[w]).ToList(), plan, run, whenAll);
        }
        return await whenAll(plan.Jobs.Select(j => started[j.Type]).ToList());
    }

    private static readonly IReadOnlyDictionary<string, ExportOutcome> Empty = new Dictionary<string, ExportOutcome>();

    private static bool NeedsValues(ExportTypeRow row) => row.TakenValues().Any(p => p.Required);

    private static async Task<ExportOutcome> AfterAsync(ExportJob job, ExportTypeRow row, IReadOnlyList<Task<ExportOutcome>> waits, ExportPlan plan,
        Func<ExportJob, IReadOnlyDictionary<string, ExportOutcome>, Task<ExportOutcome>> run,
        Func<IReadOnlyList<Task<ExportOutcome>>, Task<ExportOutcome[]>> whenAll)
    {
        var ended = (await whenAll(waits)).ToDictionary(o => o.Type, StringComparer.Ordinal);
        if (WhyNotRun(row, ended, plan) is { } reason)
        {
            return new ExportOutcome(job.Type, ExportStatus.NotRun, null, 0, 0, 0, reason, ExportErrorTypes.DependencyFailed) { Step = row.IsStep };
        }
        return await run(job, ended);
    }

    /// <summary>Why a job whose dependencies ended cannot run, or null.</summary>
    public static string? WhyNotRun(ExportTypeRow row, IReadOnlyDictionary<string, ExportOutcome> ended, ExportPlan plan)
    {
        foreach (var required in row.Requires)
        {
            if (!ended.TryGetValue(required, out var outcome))
            {
                var why = plan.NotEnabledTypes.Contains(required) ? "is not enabled" : plan.DisabledTypes.Contains(required) ? "is disabled by configuration" : "did not run";
                return $"not run: it requires {required}, which {why}";
            }
            if (outcome.Status is not (ExportStatus.Succeeded or ExportStatus.Skipped))
            {
                return $"not run: it requires {required}, which {(outcome.Status == ExportStatus.NotRun ? "was not run" : "failed")}" +
                    (outcome.Error is { } error ? $" ({(outcome.ErrorType is { } type ? type + ": " : "")}{error})" : "");
            }
        }
        foreach (var produced in row.TakenValues().Where(p => p.Required))
        {
            if (ended.GetValueOrDefault(produced.Row)?.Values?.ContainsKey(produced.Name) != true)
            {
                var producer = ended.GetValueOrDefault(produced.Row);
                var why = producer is null ? "did not run" : producer.Status == ExportStatus.Succeeded ? "gave no such value" : $"ended {producer.Status}";
                return $"not run: it takes value {produced.Row}.{produced.Name}, and {produced.Row} {why} (give the argument a default or optional = true to run without it)";
            }
        }
        return null;
    }
}
