using System.Text.Json;
using ExportFlows.Workflows.Catalog;
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

    /// <summary>Every type of the run in order: the requested ones and, before their first dependent, the rows they depend on.</summary>
    public IReadOnlyList<string> Requested { get; init; } = [];

    /// <summary>The types the run brings in only because a requested type depends on them.</summary>
    public IReadOnlyList<string> Dependencies { get; init; } = [];

    public bool UpdateLatest { get; init; } = true;

    /// <summary>The request's options by name (validated against the catalog rows of its types).</summary>
    public IReadOnlyDictionary<string, long> Options { get; init; } = new Dictionary<string, long>();

    /// <summary>Jobs reported skipped with the reason instead of run (an event's false condition).</summary>
    public IReadOnlyDictionary<string, string> SkipReasons { get; init; } = new Dictionary<string, string>();

    /// <summary>For a job, the jobs of this run it waits for beyond its catalog dependencies (an event's fixed order).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> RunAfter { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The types this run touches (jobs and disabled ones): the <c>ExportTypes</c> search attribute.</summary>
    public IReadOnlyList<string> Types => Jobs.Select(j => j.Type).Concat(DisabledTypes).ToList();
}

/// <summary>
/// Turns a request into jobs with the catalog: expands groups, drops duplicates, validates names, dates and options.
/// Shared by the workflow and the in-process engine; deterministic for a given catalog, request and clock.
/// </summary>
public static class ExportPlanner
{
    public const string NotEnabledReason = "not enabled for ExportFlows (ExportFlows__EnabledTypes); the original system still exports it";

    /// <param name="now">The request's clock: <c>generated_at</c>, and today/yesterday unless <paramref name="datesAt"/> is given.</param>
    /// <param name="datesAt">The instant today/yesterday are resolved against, e.g. a schedule's scheduled time.</param>
    /// <param name="enabledTypes">The types ExportFlows runs; null runs every requested type.</param>
    public static ExportPlan Plan(ExportCatalog catalog, ExportRequest request, DateTimeOffset now, IReadOnlySet<string>? disabledTypes = null,
        DateTimeOffset? datesAt = null, IReadOnlySet<string>? enabledTypes = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        var requested = ExpandTypes(catalog, request.Types);
        var types = ExportGraph.Close(catalog, requested);
        var rows = types.Select(catalog.Get).ToList();
        var options = Options(request, rows);
        var (skipReasons, runAfter) = Order(request, types);
        var needsTarget = rows.Any(r => r.DateKind == ExportDateKind.TargetDate);
        var needsAsOf = rows.Any(r => r.DateKind == ExportDateKind.AsOfDate);

        // Every date is checked here, words included, before any job exists: a bad one must not surface after a write.
        var clock = datesAt ?? now;
        DateOnly? target = request.Date is null && !needsTarget ? null : ExportDates.Resolve(request.Date ?? "today", clock, "date");
        DateOnly? asOf = request.AsOf is null && !needsAsOf ? null : ExportDates.Resolve(request.AsOf ?? "today", clock, "as-of date");

        var jobs = new List<ExportJob>();
        var disabled = new List<string>();
        var notEnabled = new List<string>();
        foreach (var row in rows)
        {
            if (enabledTypes is not null && !enabledTypes.Contains(row.Name))
            {
                notEnabled.Add(row.Name);
                continue;
            }
            if (disabledTypes?.Contains(row.Name) == true)
            {
                disabled.Add(row.Name);
                continue;
            }
            jobs.Add(new ExportJob(
                row.Name,
                row.DateKind == ExportDateKind.TargetDate ? target : null,
                row.DateKind == ExportDateKind.AsOfDate ? asOf : null,
                now,
                request.CorrelationId,
                request.Force,
                request.AllowEmpty)
            {
                SkipWhenInputsUnchanged = row.SkipWhenInputsUnchanged,
            });
        }
        return new ExportPlan(target, asOf, string.IsNullOrWhiteSpace(request.Trigger) ? "manual" : request.Trigger, jobs, disabled)
        {
            NotEnabledTypes = notEnabled,
            Requested = types,
            Dependencies = types.Except(requested, StringComparer.Ordinal).ToList(),
            UpdateLatest = request.UpdateLatest ?? true,
            Options = options,
            SkipReasons = skipReasons,
            RunAfter = runAfter,
        };
    }

    /// <summary>The request's skip reasons and extra order, each naming only types of the run (an order: only earlier ones).</summary>
    private static (IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, IReadOnlyList<string>>) Order(ExportRequest request, IReadOnlyList<string> types)
    {
        foreach (var type in (request.SkipReasons?.Keys ?? []).Concat(request.RunAfter?.Keys ?? []).Where(t => !types.Contains(t, StringComparer.Ordinal)))
        {
            throw new InvalidExportRequestException($"'{type}' is given a skip reason or an order but is not a type of the request");
        }
        var runAfter = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (type, earlier) in request.RunAfter ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            var position = types.ToList().IndexOf(type);
            if (earlier.FirstOrDefault(e => types.ToList().IndexOf(e) is var p && (p < 0 || p >= position)) is { } wrong)
            {
                throw new InvalidExportRequestException($"'{type}' is to run after '{wrong}', which is not a type of the request listed before it");
            }
            runAfter[type] = earlier;
        }
        return (new Dictionary<string, string>(request.SkipReasons ?? new Dictionary<string, string>(), StringComparer.Ordinal), runAfter);
    }

    /// <summary>
    /// What can be judged without the catalog, so a request that can never run fails before it costs anything: it
    /// names at least one type, and its dates resolve (<paramref name="clock"/> as in <see cref="Plan"/>).
    /// </summary>
    public static void CheckWithoutCatalog(ExportRequest request, DateTimeOffset clock)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Types is null || request.Types.All(string.IsNullOrWhiteSpace))
        {
            throw new InvalidExportRequestException("no export types requested: name at least one type or group (exportflows catalog show lists them)");
        }
        if (request.Date is not null)
        {
            ExportDates.Resolve(request.Date, clock, "date");
        }
        if (request.AsOf is not null)
        {
            ExportDates.Resolve(request.AsOf, clock, "as-of date");
        }
    }

    /// <summary>The request's options (<c>MinGames</c> is <c>min_games</c>), each declared by a requested type and within its bounds.</summary>
    private static IReadOnlyDictionary<string, long> Options(ExportRequest request, IReadOnlyList<ExportTypeRow> rows)
    {
        var given = new Dictionary<string, long>(request.Options ?? new Dictionary<string, long>(), StringComparer.Ordinal);
        if (request.MinGames is { } minGames)
        {
            given["min_games"] = minGames;
        }
        foreach (var (name, value) in given)
        {
            var rule = ExportOption.Find(rows, name);
            if (rule is null)
            {
                var declared = rows.SelectMany(r => r.Options.Keys).Distinct().ToList();
                throw new InvalidExportRequestException($"option '{name}' belongs to none of the requested types" +
                    (declared.Count == 0 ? " (they take no options)" : $"; their options: {string.Join(", ", declared)}"));
            }
            if (value < rule.Minimum || value > rule.Maximum)
            {
                throw new InvalidExportRequestException(name == "min_games"
                    ? $"invalid min_games {value}: expected {rule.Minimum} to {rule.Maximum} games"
                    : $"invalid {name} {value}: expected {rule.Minimum} to {rule.Maximum}");
            }
        }
        return given;
    }

    /// <summary>
    /// The activity input of a job (the contract of every export activity). <paramref name="fallbackCorrelationId"/>
    /// (e.g. the workflow id) is used when the request carries none; the trigger is reduced to the contract's short
    /// lowercase word (<c>schedule:x</c> → <c>schedule</c>). An undated type gets the as-of or the run's own date.
    /// </summary>
    /// <param name="ended">The outcomes of the row's dependencies: their values go into the input.</param>
    public static ExportActivityInput Input(ExportTypeRow row, ExportPlan plan, ExportJob job, string fallbackCorrelationId,
        IReadOnlyDictionary<string, ExportOutcome>? ended = null)
    {
        var date = job.TargetDate ?? job.AsOfDate ?? plan.TargetDate ?? plan.AsOfDate ?? ExportDates.EasternDate(job.GeneratedAt);
        var correlation = string.IsNullOrWhiteSpace(job.CorrelationId) ? fallbackCorrelationId : job.CorrelationId;
        var options = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, rule) in row.Options)
        {
            options[name] = JsonSerializer.SerializeToElement(plan.Options.TryGetValue(name, out var value) ? value : rule.Default);
        }
        if (job.AsOfDate is { } asOf)
        {
            options[ExportActivityInput.AsOfOption] = JsonSerializer.SerializeToElement(ExportDates.ToText(asOf));
        }
        if (job.Force)
        {
            options[ExportActivityInput.ForceOption] = JsonSerializer.SerializeToElement(true);
        }
        if (job.AllowEmpty)
        {
            options[ExportActivityInput.AllowEmptyOption] = JsonSerializer.SerializeToElement(true);
        }
        return new ExportActivityInput(
            job.Type,
            ExportDates.ToText(date),
            plan.UpdateLatest,
            ExportDates.ToTimestamp(job.GeneratedAt),
            correlation.Length > 200 ? correlation[..200] : correlation,
            TriggerWord(plan.Trigger),
            options)
        {
            Values = DependencyValues(row, ended),
            Run = UsesRunValues(row) ? new ExportRunValues(ExportDates.ToTimestamp(job.GeneratedAt), fallbackCorrelationId) : null,
        };
    }

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>>? DependencyValues(ExportTypeRow row, IReadOnlyDictionary<string, ExportOutcome>? ended)
    {
        var values = row.DependsOn
            .Select(d => ended?.GetValueOrDefault(d))
            .Where(o => o?.Values is { Count: > 0 })
            .ToDictionary(o => o!.Type, o => o!.Values!, StringComparer.Ordinal);
        return values.Count == 0 ? null : new SortedDictionary<string, IReadOnlyDictionary<string, JsonElement>>(values, StringComparer.Ordinal);
    }

    private static bool UsesRunValues(ExportTypeRow row) =>
        row.Call?.Arguments.Any(a => a.Run is not null || a.Produced?.Default?.Run is not null) == true;

    /// <summary>The contract's trigger: a lowercase word of letters, digits and dashes, starting with a letter, at most 40 long.</summary>
    public static string TriggerWord(string trigger)
    {
        var head = trigger.Split(':', 2)[0].Trim().ToLowerInvariant();
        var word = new string(head.Where(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-').Take(40).ToArray());
        return word.Length > 0 && char.IsAsciiLetterLower(word[0]) ? word : "manual";
    }

    /// <summary>Parses the ExportFlows__EnabledTypes setting: comma-separated types or groups; empty = the catalog's native types.</summary>
    /// <remarks>Two rows of which one replaces the other are never enabled together.</remarks>
    public static IReadOnlySet<string> EnabledTypes(ExportCatalog catalog, string? setting)
    {
        var enabled = (string.IsNullOrWhiteSpace(setting) ? catalog.NativeTypes.ToList() : ExpandTypes(catalog, SplitTypes(setting), "ExportFlows__EnabledTypes"))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var row in catalog.Types.Where(t => enabled.Contains(t.Name)))
        {
            if (row.Replaces.FirstOrDefault(enabled.Contains) is { } replaced)
            {
                throw new InvalidExportRequestException($"ExportFlows__EnabledTypes: '{row.Name}' replaces '{replaced}' (they write the same objects), " +
                    $"so the two are never enabled together: enable one of them");
            }
        }
        return enabled;
    }

    /// <summary>Expands group names, keeps first occurrences in order, and rejects unknown names.</summary>
    public static IReadOnlyList<string> ExpandTypes(ExportCatalog catalog, IEnumerable<string>? names) => ExpandTypes(catalog, names, null);

    private static IReadOnlyList<string> ExpandTypes(ExportCatalog catalog, IEnumerable<string>? names, string? setting)
    {
        var result = new List<string>();
        foreach (var raw in names ?? [])
        {
            var name = raw?.Trim() ?? string.Empty;
            if (name.Length == 0)
            {
                continue;
            }
            IEnumerable<string> expanded = catalog.Groups.TryGetValue(name, out var members) ? members : [name];
            foreach (var type in expanded)
            {
                if (!catalog.TryGet(type, out _))
                {
                    var message = catalog.UnknownMessage(type);
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
                $"no export types requested; valid names: {string.Join(", ", catalog.ValidNames)}");
        }
        return result;
    }

    /// <summary>Splits a comma-separated list as given on the command line.</summary>
    public static IReadOnlyList<string> SplitTypes(string? csv) =>
        (csv ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
