using ExportFlows.Workflows.Planning;

namespace ExportFlows.Workflows.Catalog;

/// <summary>How an export type is keyed: by target date, by the as-of date, or not at all.</summary>
public enum ExportDateKind
{
    TargetDate,
    AsOfDate,
    None,
}

/// <summary>Where an exporter runs: on this worker (a C# implementation), or on a worker in another language.</summary>
public enum ExporterKind
{
    Native,
    External,
}

/// <summary>
/// One row of the catalog: everything about one export type. <see cref="Implementation"/> names the C# exporter of a
/// native row; <see cref="Call"/> the original's call of an external one. <see cref="TaskQueue"/> null is the default
/// queue of the kind (this worker's, or the external queue of the configuration).
/// </summary>
public sealed record ExportTypeRow(
    string Name,
    ExporterKind Kind,
    ExportDateKind DateKind,
    IReadOnlyList<ExportObjectSpec> Objects,
    string Activity,
    ExportActivityPolicy Policy)
{
    public string? TaskQueue { get; init; }

    public string? Implementation { get; init; }

    /// <summary>The orchestrator's data guard runs before this type alone (external rows; the original's pre-flight).</summary>
    public bool Preflight { get; init; }

    /// <summary>A fixed-path document rebuilt on a clock: skipped while none of its input tables changed.</summary>
    public bool SkipWhenInputsUnchanged { get; init; }

    public ExporterCall? Call { get; init; }

    /// <summary>Options a request may set for this type (name → rule), e.g. player-profiles' <c>min_games</c>.</summary>
    public IReadOnlyDictionary<string, ExportOption> Options { get; init; } = new Dictionary<string, ExportOption>();

    /// <summary>A step writes no document (a warehouse table, an analysis): no objects, left out of freshness and status.</summary>
    public bool IsStep { get; init; }

    /// <summary>Rows this one waits for in the same run, whatever their outcome (the original's non-fatal steps).</summary>
    public IReadOnlyList<string> After { get; init; } = [];

    /// <summary>Rows that must have succeeded in the same run; otherwise this row is reported not run.</summary>
    public IReadOnlyList<string> Requires { get; init; } = [];

    /// <summary>Rows this one is an alternative to: it may declare their objects, and the two are never enabled together.</summary>
    public IReadOnlyList<string> Replaces { get; init; } = [];

    /// <summary>Named values its result carries for later rows: name → path into the call's return (<c>result.version_id</c>).</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();

    /// <summary>The values its call takes from other rows (a method: not part of the row's recorded JSON).</summary>
    public IEnumerable<ProducedValue> TakenValues() => Call?.Arguments.Select(a => a.Produced).OfType<ProducedValue>() ?? [];

    /// <summary>Every row this one waits for (soft and hard), in catalog order of declaration.</summary>
    public IEnumerable<string> DependsOn => After.Concat(Requires).Distinct(StringComparer.Ordinal);

    public bool IsExternal => Kind == ExporterKind.External;

    /// <summary>Whether one of its objects is named by the date (a dated document is never "the same file" across dates).</summary>
    public bool DateKeyedObject => Objects.Any(o => o.Kind == ExportObjectKind.DateKeyed);
}

/// <summary>An integer option of a type: its default and bounds (inclusive).</summary>
public sealed record ExportOption(long Default, long Minimum, long Maximum)
{
    /// <summary>The rule of option <paramref name="name"/> as the first of <paramref name="rows"/> declaring it has it, or null.</summary>
    public static ExportOption? Find(IEnumerable<ExportTypeRow> rows, string name) =>
        rows.Select(r => r.Options.GetValueOrDefault(name)).FirstOrDefault(o => o is not null);
}

/// <summary>
/// The original's call: <c>module.Class(**constructor).method(*args, **kwargs)</c>, or a module-level function
/// <c>module.function(*args, **kwargs)</c> when <see cref="Function"/> is set (then <see cref="Class"/> and
/// <see cref="Method"/> are empty). <see cref="Then"/> chains a second, module-level function called with the first's
/// result when that result is truthy in Python (the original's <c>rows = compute(…); if rows: write(bq, rows)</c>).
/// </summary>
public sealed record ExporterCall(
    string Module,
    string Class,
    string Method,
    IReadOnlyDictionary<string, ExporterArgument> Constructor,
    IReadOnlyList<ExporterArgument> Args,
    IReadOnlyDictionary<string, ExporterArgument> Kwargs)
{
    /// <summary>The request values every call may name; a type's options come on top.</summary>
    public static readonly IReadOnlyList<string> RequestValues = ["target_date", "update_latest", "requested_at", "correlation_id", "trigger"];

    public string? Function { get; init; }

    /// <summary>
    /// The module-level function called after this call, only when its result is truthy, with that result as its
    /// <c>{ result = true }</c> arguments; the row's result is then its return value (null when it was not called).
    /// </summary>
    public ExporterCall? Then { get; init; }

    /// <summary>Every argument of the call, positional and keyword, and of its <see cref="Then"/>.</summary>
    public IEnumerable<ExporterArgument> Arguments => Args.Concat(Kwargs.Values).Concat(Then?.Arguments ?? []);

    public override string ToString()
    {
        var args = string.Join(", ", Args.Select(a => a.ToString()).Concat(Kwargs.Select(p => $"{p.Key}={p.Value}")));
        var then = Then is { } next ? $" then, if it returned something, {next}" : "";
        if (Function is not null)
        {
            return $"{Module}.{Function}({args}){then}";
        }
        var ctor = string.Join(", ", Constructor.Select(p => $"{p.Key}={p.Value}"));
        return $"{Module}.{Class}({ctor}).{Method}({args}){then}";
    }
}

/// <summary>
/// One argument of a call: a request value by name (<see cref="Value"/>), a constant (JSON text in
/// <see cref="ConstantJson"/>), a value another row produced (<see cref="Produced"/>), a value of the run
/// (<see cref="Run"/>: <c>started_at</c> or <c>workflow_id</c>), the result of a no-argument function of the
/// original (<see cref="CallOf"/>), a request value passed as a Python <c>datetime.date</c> (<see cref="Date"/>), or,
/// in a <see cref="ExporterCall.Then"/> only, the first call's return value (<see cref="Result"/>).
/// </summary>
public sealed record ExporterArgument(string? Value, string? ConstantJson)
{
    public const string StartedAt = "started_at";
    public const string WorkflowId = "workflow_id";
    public static readonly IReadOnlyList<string> RunValues = [StartedAt, WorkflowId];

    /// <summary>The request values a <c>{ date = … }</c> argument may name.</summary>
    public static readonly IReadOnlyList<string> DateValues = ["target_date"];

    public ProducedValue? Produced { get; init; }

    public string? Run { get; init; }

    /// <summary>A strftime format for <see cref="StartedAt"/> (<c>v_%Y%m%d_%H%M%S</c>); null is the ISO text.</summary>
    public string? RunFormat { get; init; }

    public string? CallOf { get; init; }

    /// <summary>The request value (<c>target_date</c>) passed as a <c>datetime.date</c>, not its text.</summary>
    public string? Date { get; init; }

    /// <summary>The first call's return value (<c>{ result = true }</c>, an argument of <see cref="ExporterCall.Then"/>).</summary>
    public bool Result { get; init; }

    public override string ToString() =>
        Produced is { } p ? p.ToString()
        : Run is not null ? (RunFormat is null ? $"run.{Run}" : $"run.{Run}:{RunFormat}")
        : CallOf is not null ? CallOf + "()"
        : Date is not null ? $"date({Date})"
        : Result ? "result"
        : Value ?? ConstantJson ?? "None";
}

/// <summary>
/// A value row <paramref name="Row"/> produced (<c>{ value = "row.name" }</c>). When it is missing (the producer failed or
/// gave none): <see cref="Default"/> if set, else null if <see cref="Optional"/>, else the consuming row is not run.
/// <see cref="Construct"/> names a class of the original the Python worker builds from the value (<c>Class(**value)</c>).
/// </summary>
public sealed record ProducedValue(string Row, string Name)
{
    public ExporterArgument? Default { get; init; }

    public bool Optional { get; init; }

    public string? Construct { get; init; }

    /// <summary>Whether a missing value keeps the consuming row from running.</summary>
    public bool Required => Default is null && !Optional;

    public override string ToString() => $"{Row}.{Name}" + (Default is { } d ? $" or {d}" : Optional ? " or None" : "");
}
