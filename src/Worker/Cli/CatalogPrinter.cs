using System.Globalization;
using System.Text;
using System.Text.Json;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Worker.Cli;

/// <summary>
/// The catalog as <c>catalog show</c> prints it, with what the configuration adds: each row's task queue (its own, else
/// the default of its kind) and whether ExportFlows runs it (ExportFlows__EnabledTypes).
/// </summary>
public sealed record CatalogView(ExportCatalog Catalog, string WorkerQueue, string ExternalQueue, IReadOnlySet<string> Enabled)
{
    public string QueueOf(ExportTypeRow row) => row.TaskQueue ?? (row.IsExternal ? ExternalQueue : WorkerQueue);
}

/// <summary>Renders a <see cref="CatalogView"/> as the text of <c>catalog show</c>; the words shared with its JSON.</summary>
public static class CatalogPrinter
{
    public static string Summary(ExportCatalog catalog)
    {
        var external = catalog.Types.Count(t => t.IsExternal);
        return $"fingerprint {catalog.Fingerprint}; {catalog.Types.Count} types ({catalog.Types.Count - external} native, {external} external), " +
            $"{catalog.Groups.Count} groups, {catalog.Orchestrator.Count} in the orchestrator's list, {catalog.Schedules.Count} schedules, {catalog.Events.Count} events";
    }

    public static string Text(CatalogView view)
    {
        var catalog = view.Catalog;
        var text = new StringBuilder();
        text.Append($"catalog {catalog.Source}\n  {Summary(catalog)}\n\ntypes\n");
        foreach (var row in catalog.Types)
        {
            text.Append($"  {row.Name}  {Kind(row)}{(row.IsStep ? " step" : "")}{(row.Implementation is { } impl ? $" ({impl})" : "")}, date {DateWord(row.DateKind)}" +
                $"{(view.Enabled.Contains(row.Name) ? "" : ", not enabled")}\n");
            text.Append($"    activity  {row.Activity} on task queue {view.QueueOf(row)}{(row.TaskQueue is null ? " (default)" : "")}\n");
            if (row.Call is { } call)
            {
                text.Append($"    call      {call.Module}: {PythonCall(call)}\n");
            }
            foreach (var (spec, i) in row.Objects.Select((o, i) => (o, i)))
            {
                text.Append($"    {(i == 0 ? "objects" : ""),-9} {spec.Pattern}  \"{spec.CacheControl}\"\n");
            }
            text.Append($"    policy    {PolicyText(row.Policy)}\n");
            foreach (var (word, names) in new[] { ("after", row.After), ("requires", row.Requires), ("replaces", row.Replaces) }.Where(p => p.Item2.Count > 0))
            {
                text.Append($"    {word,-9} {string.Join(", ", names)}\n");
            }
            if (row.Values.Count > 0)
            {
                text.Append($"    values    {string.Join(", ", row.Values.Select(v => $"{v.Key} = {v.Value}"))}\n");
            }
            var flags = new[] { row.Preflight ? "preflight" : null, row.SkipWhenInputsUnchanged ? "skip_when_inputs_unchanged" : null }.OfType<string>()
                .Concat(row.Options.Select(o => $"option {o.Key} = {o.Value.Default} ({o.Value.Minimum}–{o.Value.Maximum})")).ToList();
            if (flags.Count > 0)
            {
                text.Append($"    also      {string.Join("; ", flags)}\n");
            }
        }
        text.Append(CatalogGraphPrinter.Text(catalog));
        text.Append("\ngroups\n");
        foreach (var (name, members) in catalog.Groups)
        {
            text.Append($"  {name} = {string.Join(", ", members)}\n");
        }
        text.Append($"\norchestrator (the tonight list)\n  {string.Join(", ", catalog.Orchestrator)}\n\nschedules ({ExportScheduleCatalog.TimeZone})\n");
        foreach (var s in catalog.Schedules)
        {
            var dates = new[] { s.TargetDate is { } d ? $"date {d}" : null, s.AsOf is { } a ? $"as-of {a}" : null,
                s.UpdateLatest is { } u ? $"update_latest {(u ? "true" : "false")}" : null }
                .Concat((s.Options ?? new Dictionary<string, long>()).Select(o => $"{o.Key} {o.Value}")).OfType<string>();
            text.Append($"  {s.Id}  {CalendarWords.Describe(s)}: {string.Join(", ", s.Types)}\n");
            text.Append($"    {string.Join("; ", dates.Append($"overlap {Overlap(s.Overlap)}").Append($"catch-up {Duration(s.CatchupWindow)}"))}\n");
        }
        text.Append(CatalogEventPrinter.Text(catalog));
        text.Append("\npublication\n");
        text.Append($"  models   {string.Join(", ", catalog.Publication.ModelCodenames.Select(m => $"{m.Key} = {m.Value}"))}\n");
        foreach (var (id, name) in catalog.Publication.Subsets)
        {
            text.Append($"  subset   {id} = {name.Id} \"{name.Name}\" ({name.Description})\n");
        }
        return text.ToString();
    }

    /// <summary>
    /// The call as the original's daily_export.py writes it: <c>ResultsExporter().export(target_date, update_latest=update_latest)</c>;
    /// a chained call as the post-grading function does, <c>result = compute(bq, target_date); if result: write(bq, result)</c>
    /// (the chained function's module named only when it is not the call's).
    /// </summary>
    public static string PythonCall(ExporterCall call)
    {
        var arguments = string.Join(", ", call.Args.Select(Python).Concat(call.Kwargs.Select(p => $"{p.Key}={Python(p.Value)}")));
        var text = call.Function is { } function
            ? $"{function}({arguments})"
            : $"{call.Class}({string.Join(", ", call.Constructor.Select(p => $"{p.Key}={Python(p.Value)}"))}).{call.Method}({arguments})";
        if (call.Then is not { } then)
        {
            return text;
        }
        var module = then.Module == call.Module ? "" : then.Module + ".";
        return $"result = {text}; if result: {module}{PythonCall(then)}";
    }

    /// <summary>Timeouts and retry in one line: <c>start-to-close 5m, schedule-to-close 30m, heartbeat 1m; retry 10s ×2 up to 2m, attempts unlimited</c>.</summary>
    public static string PolicyText(ExportActivityPolicy policy)
    {
        var timeouts = new[]
        {
            $"start-to-close {Duration(policy.StartToClose)}", $"schedule-to-close {Duration(policy.ScheduleToClose)}",
            policy.ScheduleToStart is { } start ? $"schedule-to-start {Duration(start)}" : null,
            policy.Heartbeat is { } heartbeat ? $"heartbeat {Duration(heartbeat)}" : null,
        }.OfType<string>();
        var attempts = policy.MaximumAttempts == 0 ? "attempts unlimited" : $"at most {policy.MaximumAttempts} attempts";
        return $"{string.Join(", ", timeouts)}; retry {Duration(policy.InitialInterval)} ×{policy.BackoffCoefficient.ToString(CultureInfo.InvariantCulture)} " +
            $"up to {Duration(policy.MaximumInterval)}, {attempts}";
    }

    /// <summary>A duration as the catalog writes it: <c>90s</c> → <c>1m30s</c>, <c>1h</c>, <c>5m</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        var hours = (long)span.TotalHours;
        var text = (hours > 0 ? $"{hours}h" : "") + (span.Minutes > 0 ? $"{span.Minutes}m" : "") + (span.Seconds > 0 ? $"{span.Seconds}s" : "");
        return text.Length == 0 ? "0s" : text;
    }

    private static string Python(ExporterArgument argument) => argument switch
    {
        { Value: { } name } => name,
        { Produced: { } p } => $"{p.Row}.{p.Name}" + (p.Default is { } d ? $" or {Python(d)}" : p.Optional ? " or None" : ""),
        { Run: ExporterArgument.StartedAt, RunFormat: { } format } => $"started_at.strftime('{format}')",
        { Run: { } run } => run,
        { CallOf: { } function } => function[(function.LastIndexOf('.') + 1)..] + "()",
        { Date: { } name } => $"date.fromisoformat({name})",
        { Result: true } => "result",
        _ => Python(Constant(argument)),
    };

    private static string Python(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.String => "'" + value.GetString()!.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'",
        JsonValueKind.Array => "[" + string.Join(", ", value.EnumerateArray().Select(Python)) + "]",
        JsonValueKind.Object => "{" + string.Join(", ", value.EnumerateObject().Select(p => $"{Python(JsonSerializer.SerializeToElement(p.Name))}: {Python(p.Value)}")) + "}",
        JsonValueKind.Number => value.GetRawText(),
        _ => "None",
    };

    /// <summary>A constant argument's value.</summary>
    public static JsonElement Constant(ExporterArgument argument) => JsonSerializer.Deserialize<JsonElement>(argument.ConstantJson ?? "null");

    public static string Kind(ExportTypeRow row) => row.IsExternal ? "external" : "native";

    public static string DateWord(ExportDateKind kind) => kind switch
    {
        ExportDateKind.TargetDate => "target",
        ExportDateKind.AsOfDate => "as-of",
        _ => "none",
    };

    public static string Overlap(ScheduleOverlap overlap) => overlap == ScheduleOverlap.Skip ? "skip" : "buffer-one";
}
