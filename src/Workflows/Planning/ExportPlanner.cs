using ExportFlows.Workflows.Contracts;

namespace ExportFlows.Workflows.Planning;

/// <summary>
/// A validated request: the jobs to run, the types skipped because configuration disabled them, and the types not
/// enabled for ExportFlows (still run by the original system; never started here). <paramref name="Requested"/> is
/// every expanded type in request order.
/// </summary>
public sealed record ExportPlan(
    DateOnly? TargetDate,
    DateOnly? AsOfDate,
    string Trigger,
    IReadOnlyList<ExportJob> Jobs,
    IReadOnlyList<string> DisabledTypes)
{
    public IReadOnlyList<string> NotEnabledTypes { get; init; } = [];

    public IReadOnlyList<string> Requested { get; init; } = [];

    public bool UpdateLatest { get; init; } = true;

    public int? MinGames { get; init; }

    /// <summary>The types this run touches (jobs and disabled ones): the <c>ExportTypes</c> search attribute.</summary>
    public IReadOnlyList<string> Types => Jobs.Select(j => j.Type).Concat(DisabledTypes).ToList();
}

/// <summary>
/// Turns a request into jobs: expands groups, drops duplicates, validates names and dates. Shared by the workflow
/// and the in-process engine; deterministic for a given request and clock.
/// </summary>
public static class ExportPlanner
{
    public const string NotEnabledReason = "not enabled for ExportFlows (ExportFlows__EnabledTypes); the original system still exports it";

    /// <param name="now">The request's clock: <c>generated_at</c>, and today/yesterday unless <paramref name="datesAt"/> is given.</param>
    /// <param name="datesAt">The instant today/yesterday are resolved against, e.g. a schedule's scheduled time.</param>
    /// <param name="enabledTypes">The types ExportFlows runs; null runs every requested type.</param>
    public static ExportPlan Plan(ExportRequest request, DateTimeOffset now, IReadOnlySet<string>? disabledTypes = null, DateTimeOffset? datesAt = null,
        IReadOnlySet<string>? enabledTypes = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var types = ExpandTypes(request.Types);
        if (request.MinGames is { } minGames && minGames is < 1 or > 82)
        {
            throw new InvalidExportRequestException($"invalid min_games {minGames}: expected 1 to 82 games");
        }
        var needsTarget = types.Any(t => ExportTypeCatalog.GetImplemented(t).DateKind == ExportDateKind.TargetDate);
        var needsAsOf = types.Any(t => ExportTypeCatalog.GetImplemented(t).DateKind == ExportDateKind.AsOfDate);

        // Every date is checked here, words included, before any job exists: a bad one must not surface after a write.
        var clock = datesAt ?? now;
        DateOnly? target = request.Date is null && !needsTarget ? null : ExportDates.Resolve(request.Date ?? "today", clock, "date");
        DateOnly? asOf = request.AsOf is null && !needsAsOf ? null : ExportDates.Resolve(request.AsOf ?? "today", clock, "as-of date");

        var jobs = new List<ExportJob>();
        var disabled = new List<string>();
        var notEnabled = new List<string>();
        foreach (var type in types)
        {
            if (enabledTypes is not null && !enabledTypes.Contains(type))
            {
                notEnabled.Add(type);
                continue;
            }
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
        return new ExportPlan(target, asOf, string.IsNullOrWhiteSpace(request.Trigger) ? "manual" : request.Trigger, jobs, disabled)
        {
            NotEnabledTypes = notEnabled,
            Requested = types,
            UpdateLatest = request.UpdateLatest ?? true,
            MinGames = types.Contains(ExportTypeCatalog.PlayerProfiles) ? request.MinGames ?? ExportTypeCatalog.DefaultMinGames : null,
        };
    }

    /// <summary>
    /// The contract input of an external job. <paramref name="fallbackCorrelationId"/> (e.g. the workflow id) is used
    /// when the request carries none; the trigger is reduced to the contract's short lowercase word (<c>schedule:x</c> → <c>schedule</c>).
    /// </summary>
    public static ExternalExportInput ExternalInput(ExportPlan plan, ExportJob job, string fallbackCorrelationId)
    {
        var date = job.TargetDate ?? job.AsOfDate ?? throw new InvalidExportRequestException($"{job.Type} needs a target date");
        var correlation = string.IsNullOrWhiteSpace(job.CorrelationId) ? fallbackCorrelationId : job.CorrelationId;
        return new ExternalExportInput(
            job.Type,
            ExportDates.ToText(date),
            plan.UpdateLatest,
            ExportDates.ToTimestamp(job.GeneratedAt),
            correlation.Length > 200 ? correlation[..200] : correlation,
            TriggerWord(plan.Trigger),
            new ExternalExportOptions(job.Type == ExportTypeCatalog.PlayerProfiles ? plan.MinGames ?? ExportTypeCatalog.DefaultMinGames : null));
    }

    /// <summary>The contract's trigger: a lowercase word of letters, digits and dashes, starting with a letter, at most 40 long.</summary>
    public static string TriggerWord(string trigger)
    {
        var head = trigger.Split(':', 2)[0].Trim().ToLowerInvariant();
        var word = new string(head.Where(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-').Take(40).ToArray());
        return word.Length > 0 && char.IsAsciiLetterLower(word[0]) ? word : "manual";
    }

    /// <summary>Parses the ExportFlows__EnabledTypes setting: comma-separated types or groups; empty = the native types.</summary>
    public static IReadOnlySet<string> EnabledTypes(string? setting) =>
        (string.IsNullOrWhiteSpace(setting) ? ExportTypeCatalog.DefaultEnabledTypes : ExpandTypes(SplitTypes(setting), "ExportFlows__EnabledTypes"))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Expands group names, keeps first occurrences in order, and rejects unknown names.</summary>
    public static IReadOnlyList<string> ExpandTypes(IEnumerable<string>? names) => ExpandTypes(names, null);

    private static IReadOnlyList<string> ExpandTypes(IEnumerable<string>? names, string? setting)
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
                    var message = ExportTypeCatalog.UnknownMessage(type);
                    throw new InvalidExportRequestException(setting is null ? message : $"{setting}: {message}");
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
                $"no export types requested; valid names: {string.Join(", ", ExportTypeCatalog.ValidNames)}");
        }
        return result;
    }

    /// <summary>Splits a comma-separated list as given on the command line.</summary>
    public static IReadOnlyList<string> SplitTypes(string? csv) =>
        (csv ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
