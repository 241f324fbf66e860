using System.Text.Json;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Worker.Cli;

/// <summary>The JSON document of <c>catalog show --json</c>: every field of every row, group, schedule and publication name.</summary>
public static class CatalogJson
{
    public static object Document(CatalogView view)
    {
        var catalog = view.Catalog;
        return new
        {
            source = catalog.Source,
            fingerprint = catalog.Fingerprint,
            types = catalog.Types.Select(row => new
            {
                name = row.Name,
                kind = CatalogPrinter.Kind(row),
                enabled = view.Enabled.Contains(row.Name),
                date = CatalogPrinter.DateWord(row.DateKind),
                activity = row.Activity,
                taskQueue = view.QueueOf(row),
                implementation = row.Implementation,
                objects = row.Objects.Select(o => new { path = o.Pattern, cacheControl = o.CacheControl }),
                policy = Policy(row.Policy),
                preflight = row.Preflight,
                skipWhenInputsUnchanged = row.SkipWhenInputsUnchanged,
                options = row.Options.ToDictionary(o => o.Key, o => new { @default = o.Value.Default, minimum = o.Value.Minimum, maximum = o.Value.Maximum }),
                call = row.Call is { } call ? Call(call) : null,
                step = row.IsStep,
                after = row.After,
                requires = row.Requires,
                replaces = row.Replaces,
                values = row.Values,
            }),
            groups = catalog.Groups,
            orchestrator = catalog.Orchestrator,
            schedules = catalog.Schedules.Select(s => new
            {
                id = s.Id,
                when = CalendarWords.Describe(s),
                calendar = new
                {
                    hours = s.Hours,
                    minute = s.Minute,
                    minuteStep = s.MinuteStep,
                    daysOfWeek = s.DaysOfWeek?.Select(d => d.ToString().ToLowerInvariant()),
                    daysOfMonth = s.DaysOfMonth,
                    timeZone = ExportScheduleCatalog.TimeZone,
                },
                types = s.Types,
                exports = ExportPlanner.ExpandTypes(catalog, s.Types),
                date = s.TargetDate,
                asOf = s.AsOf,
                updateLatest = s.UpdateLatest,
                options = s.Options,
                overlap = CatalogPrinter.Overlap(s.Overlap),
                catchupWindow = CatalogPrinter.Duration(s.CatchupWindow),
                note = s.Note,
            }),
            events = catalog.Events.Select(e => new
            {
                name = e.Name,
                path = e.Path,
                verb = e.Verb,
                date = new { fields = e.Date.Fields, @default = e.Date.Default },
                fields = e.Fields.ToDictionary(f => f.Key, f => new
                {
                    type = EventField.TypeName(f.Value.Type),
                    @default = f.Value.DefaultJson is { } d ? JsonSerializer.Deserialize<JsonElement>(d) : (JsonElement?)null,
                }),
                runs = e.Runs.Select(r => new
                {
                    row = r.Name,
                    when = r.When.Select(c => new { field = c.Field, @operator = c.Operator.ToString().ToLowerInvariant(), operands = c.Operands.Select(o => JsonSerializer.Deserialize<JsonElement>(o)) }),
                    after = r.After,
                }),
                runsFrom = e.RunsFrom,
                runsOrchestrator = e.RunsOrchestrator,
                sport = e.Sport,
                flag = e.Flag is { } flag ? new { field = flag.Field, runs = flag.Runs, options = flag.Options } : null,
                note = e.Note,
            }),
            publication = new
            {
                models = catalog.Publication.ModelCodenames,
                subsets = catalog.Publication.Subsets.ToDictionary(s => s.Key, s => new { id = s.Value.Id, name = s.Value.Name, description = s.Value.Description }),
            },
        };
    }

    private static object Policy(ExportActivityPolicy p) => new
    {
        startToClose = CatalogPrinter.Duration(p.StartToClose),
        scheduleToClose = CatalogPrinter.Duration(p.ScheduleToClose),
        scheduleToStart = p.ScheduleToStart is { } start ? CatalogPrinter.Duration(start) : null,
        heartbeat = p.Heartbeat is { } heartbeat ? CatalogPrinter.Duration(heartbeat) : null,
        retry = new { initialInterval = CatalogPrinter.Duration(p.InitialInterval), backoff = p.BackoffCoefficient, maximumInterval = CatalogPrinter.Duration(p.MaximumInterval), maximumAttempts = p.MaximumAttempts },
        text = CatalogPrinter.PolicyText(p),
    };

    private static object Call(ExporterCall call) => new
    {
        module = call.Module,
        @class = call.Function is null ? call.Class : null,
        method = call.Function is null ? call.Method : null,
        function = call.Function,
        constructor = call.Constructor.ToDictionary(p => p.Key, p => Argument(p.Value)),
        args = call.Args.Select(Argument),
        kwargs = call.Kwargs.ToDictionary(p => p.Key, p => Argument(p.Value)),
        then = call.Then is { } next ? Call(next) : null,
        python = CatalogPrinter.PythonCall(call),
    };

    /// <summary>
    /// <c>{ "value": "target_date" }</c> for a request value, <c>{ "const": 30 }</c> for a constant, <c>{ "produced":
    /// "row.name", … }</c> for another row's value, <c>{ "run": "started_at" }</c>, <c>{ "call": "module.function" }</c>,
    /// <c>{ "date": "target_date" }</c>, <c>{ "result": true }</c>.
    /// </summary>
    private static Dictionary<string, object?> Argument(ExporterArgument argument) => argument switch
    {
        { Value: { } name } => new() { ["value"] = name },
        { Produced: { } p } => new() { ["produced"] = $"{p.Row}.{p.Name}", ["default"] = p.Default is { } d ? Argument(d) : null, ["optional"] = p.Optional, ["construct"] = p.Construct },
        { Run: { } run } => new() { ["run"] = run, ["format"] = argument.RunFormat },
        { CallOf: { } function } => new() { ["call"] = function },
        { Date: { } name } => new() { ["date"] = name },
        { Result: true } => new() { ["result"] = true },
        _ => new() { ["const"] = CatalogPrinter.Constant(argument) },
    };
}
