using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Exporters;

/// <summary><c>signals/{date}.json</c>: the day's signal in public words.</summary>
public sealed class DailySignalsExporter(SubsetWarehouseReader reader, IObjectStore store, ExportSettings settings, ILogger<DailySignalsExporter> logger)
    : DateKeyedExporter(reader, store, settings, logger)
{
    public const string NoDataNote = "No data available for this date";

    private static readonly HashSet<string> Keys = ["date", "generated_at", "model", "signal", "metrics", "conditions", "picks", "note"];

    public const string Name = "daily-signals";

    public override string Implementation => Name;

    protected override IReadOnlySet<string> AllowedKeys => Keys;

    public static readonly PublicFieldShape Signal = PublicFieldShape.OneOf("a public signal", ["favorable", "challenging", "neutral"]);

    public static readonly PublicFieldShape Conditions = PublicFieldShape.OneOf("public conditions", ["over_heavy", "under_heavy", "balanced", "unknown"]);

    public static readonly PublicFieldShape Note = PublicFieldShape.OneOf("a public note", [NoDataNote]);

    private static Dictionary<string, PublicFieldShape> Strings(PublicationNames names) => new(StringComparer.Ordinal)
    {
        ["date"] = PublicFieldShapes.Date,
        ["generated_at"] = PublicFieldShapes.Timestamp,
        ["model"] = PublicFieldShapes.ModelCodename(names),
        ["signal"] = Signal,
        ["conditions"] = Conditions,
        ["note"] = Note,
    };

    protected override IReadOnlyDictionary<string, PublicFieldShape> StringFields(PublicationNames names) => Strings(names);

    public override IReadOnlyList<WarehouseTable> RequiredTables => [WarehouseTable.DailySignals];

    public static string PublicSignal(string? dailySignal) => dailySignal switch
    {
        "GREEN" => "favorable",
        "RED" => "challenging",
        _ => "neutral",
    };

    public static string PublicConditions(string? skewCategory) => skewCategory switch
    {
        "OVER_HEAVY" => "over_heavy",
        "UNDER_HEAVY" => "under_heavy",
        _ => "balanced",
    };

    public override SpanNeeds Needs => SpanNeeds.Signals;

    public override PublicDocument Build(DateOnly date, DateTimeOffset generatedAt, SpanInputs inputs)
    {
        inputs.Check(date);
        var signal = inputs.Signals.GetValueOrDefault(date);

        var row = $"the signal of {ExportDates.ToText(date)}";
        using var w = new PublicDocumentWriter(ObjectName(date));
        w.Json.WriteStartObject();
        w.WriteDate("date", date);
        w.WriteGeneratedAt(generatedAt);
        WriteModel(w);
        w.WriteString("signal", PublicSignal(signal?.DailySignal), Signal, row);
        w.Json.WriteStartObject("metrics");
        w.WriteString("conditions", signal is null ? "unknown" : PublicConditions(signal.SkewCategory), Conditions, row);
        w.Json.WriteNumber("picks", signal?.HighEdgePicks ?? 0);
        w.Json.WriteEndObject();
        if (signal is null)
        {
            w.WriteString("note", NoDataNote, Note, row);
        }
        w.Json.WriteEndObject();
        return new PublicDocument(w.ToArray(), [],
            signal is null ? $"{WarehouseTable.DailySignals.QualifiedName} has no row of the model for {ExportDates.ToText(date)}" : null);
    }
}
