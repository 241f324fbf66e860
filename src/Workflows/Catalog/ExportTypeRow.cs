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
/// The original's call of an external exporter: <c>module.Class(**constructor).method(*args, **kwargs)</c>. An argument
/// is a request value by name (<see cref="ExporterArgument.Value"/>) or a constant (JSON text in <see cref="ExporterArgument.ConstantJson"/>).
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

    public override string ToString()
    {
        var ctor = string.Join(", ", Constructor.Select(p => $"{p.Key}={p.Value}"));
        var args = Args.Select(a => a.ToString()).Concat(Kwargs.Select(p => $"{p.Key}={p.Value}"));
        return $"{Module}.{Class}({ctor}).{Method}({string.Join(", ", args)})";
    }
}

public sealed record ExporterArgument(string? Value, string? ConstantJson)
{
    public override string ToString() => Value ?? ConstantJson ?? "None";
}
