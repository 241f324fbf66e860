using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Exporters;

/// <summary><c>picks/{date}.json</c>: each public subset's picks for the date, with 30-day stats over [D − 30, D − 1].</summary>
public sealed class SubsetPicksExporter(SubsetWarehouseReader reader, IObjectStore store, ExportSettings settings, ILogger<SubsetPicksExporter> logger)
    : DateKeyedExporter(reader, store, settings, logger)
{
    public const int StatsDays = SpanInputs.StatsDays;

    private static readonly HashSet<string> Keys =
        ["date", "generated_at", "model", "groups", "id", "name", "stats", "hit_rate", "roi", "days", "picks",
         "player", "team", "opponent", "prediction", "line", "direction"];

    public const string Name = "subset-picks";

    public override string Implementation => Name;

    protected override IReadOnlySet<string> AllowedKeys => Keys;

    private static Dictionary<string, PublicFieldShape> Strings(PublicationNames names) => new(CommonStringFields(names))
    {
        ["date"] = PublicFieldShapes.Date,
        ["player"] = PublicFieldShapes.PlayerName,
        ["team"] = PublicFieldShapes.TeamCode,
        ["opponent"] = PublicFieldShapes.TeamCode,
        ["direction"] = PublicFieldShapes.Direction,
    };

    protected override IReadOnlyDictionary<string, PublicFieldShape> StringFields(PublicationNames names) => Strings(names);

    public override IReadOnlyList<WarehouseTable> RequiredTables => WarehouseTable.All;

    public override SpanNeeds Needs => SpanNeeds.Catalog | SpanNeeds.Candidates | SpanNeeds.Signals;

    public override PublicDocument Build(DateOnly date, DateTimeOffset generatedAt, SpanInputs inputs)
    {
        inputs.Check(date);
        var statsStart = date.AddDays(-StatsDays);
        var catalog = inputs.Catalog;
        var signals = inputs.Signals;
        var stats = inputs.Statistics;
        var today = inputs.Candidates.GetValueOrDefault(date) ?? [];

        using var w = new PublicDocumentWriter(ObjectName(date));
        w.Json.WriteStartObject();
        w.WriteDate("date", date);
        w.WriteGeneratedAt(generatedAt);
        WriteModel(w);
        w.Json.WriteStartArray("groups");
        foreach (var subset in catalog.Subsets)
        {
            var groupStats = stats.For(subset, statsStart, date.AddDays(-1));
            w.Json.WriteStartObject();
            WriteGroupHeader(w, subset);
            WriteStats(w, groupStats, "days", StatsDays);
            w.Json.WriteStartArray("picks");
            foreach (var pick in SubsetSelection.Select(subset, today, signals.GetValueOrDefault(date)))
            {
                var row = $"the pick of player '{pick.PlayerLookup}' on {ExportDates.ToText(pick.GameDate)}";
                w.Json.WriteStartObject();
                w.WriteString("player", pick.PlayerName, PublicFieldShapes.PlayerName, row);
                w.WriteString("team", pick.Team, PublicFieldShapes.TeamCode, row);
                w.WriteString("opponent", pick.Opponent, PublicFieldShapes.TeamCode, row);
                w.WriteRounded("prediction", pick.PredictedPoints);
                w.WriteRounded("line", pick.Line);
                w.WriteString("direction", pick.Direction, PublicFieldShapes.Direction, row);
                w.Json.WriteEndObject();
            }
            w.Json.WriteEndArray();
            w.Json.WriteEndObject();
        }
        w.Json.WriteEndArray();
        w.Json.WriteEndObject();
        return new PublicDocument(w.ToArray(), catalog.InternalIds, EmptyInputs.Picks(catalog, today, signals.GetValueOrDefault(date), date));
    }
}
