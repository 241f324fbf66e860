using ExportFlows.Workflows.Contracts;

namespace ExportFlows.Workflows.Planning;

/// <summary>A validated request: the jobs to run and the types skipped because configuration disabled them.</summary>
public sealed record ExportPlan(
    DateOnly? TargetDate,
    DateOnly? AsOfDate,
    string Trigger,
    IReadOnlyList<ExportJob> Jobs,
    IReadOnlyList<string> DisabledTypes)
{
    public IReadOnlyList<string> Types => Jobs.Select(j => j.Type).Concat(DisabledTypes).ToList();
}

/// <summary>
/// Turns a request into jobs: expands groups, drops duplicates, validates names and dates. Shared by the workflow
/// and the in-process engine; deterministic for a given request and clock.
/// </summary>
public static class ExportPlanner
{
    /// <param name="now">The request's clock: <c>generated_at</c>, and today/yesterday unless <paramref name="datesAt"/> is given.</param>
    /// <param name="datesAt">The instant today/yesterday are resolved against, e.g. a schedule's scheduled time.</param>
    public static ExportPlan Plan(ExportRequest request, DateTimeOffset now, IReadOnlySet<string>? disabledTypes = null, DateTimeOffset? datesAt = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var types = ExpandTypes(request.Types);
        var needsTarget = types.Any(t => ExportTypeCatalog.GetImplemented(t).DateKind == ExportDateKind.TargetDate);
        var needsAsOf = types.Any(t => ExportTypeCatalog.GetImplemented(t).DateKind == ExportDateKind.AsOfDate);

        var clock = datesAt ?? now;
        DateOnly? target = request.Date is null && !needsTarget ? null : ExportDates.Resolve(request.Date ?? "today", clock, "date");
        DateOnly? asOf = request.AsOf is null && !needsAsOf ? null : ExportDates.Resolve(request.AsOf ?? "today", clock, "as-of date");

        var jobs = new List<ExportJob>();
        var disabled = new List<string>();
        foreach (var type in types)
        {
            if (disabledTypes?.Contains(type) == true)
            {
                disabled.Add(type);
                continue;
            }
            var kind = ExportTypeCatalog.GetImplemented(type).DateKind;
            jobs.Add(new ExportJob(
                type,
                kind == ExportDateKind.TargetDate ? target : null,
                kind == ExportDateKind.AsOfDate ? asOf : null,
                now,
                request.CorrelationId,
                request.Force,
                request.AllowEmpty));
        }
        return new ExportPlan(target, asOf, string.IsNullOrWhiteSpace(request.Trigger) ? "manual" : request.Trigger, jobs, disabled);
    }

    /// <summary>Expands group names, keeps first occurrences in order, and rejects unknown or unimplemented names.</summary>
    public static IReadOnlyList<string> ExpandTypes(IEnumerable<string>? names)
    {
        var result = new List<string>();
        foreach (var raw in names ?? [])
        {
            var name = raw?.Trim() ?? string.Empty;
            if (name.Length == 0)
            {
                continue;
            }
            IEnumerable<string> expanded = ExportTypeCatalog.Groups.TryGetValue(name, out var members) ? members : [name];
            foreach (var type in expanded)
            {
                if (!ExportTypeCatalog.TryGetImplemented(type, out _))
                {
                    throw new InvalidExportRequestException(ExportTypeCatalog.IsKnown(type)
                        ? ExportTypeCatalog.NotImplementedMessage(type)
                        : ExportTypeCatalog.UnknownMessage(type));
                }
                if (!result.Contains(type, StringComparer.Ordinal))
                {
                    result.Add(type);
                }
            }
        }
        if (result.Count == 0)
        {
            throw new InvalidExportRequestException(
                $"no export types requested; implemented types: {string.Join(", ", ExportTypeCatalog.ImplementedTypes)}");
        }
        return result;
    }

    /// <summary>Splits a comma-separated list as given on the command line.</summary>
    public static IReadOnlyList<string> SplitTypes(string? csv) =>
        (csv ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
