namespace ExportFlows.Tests.Catalog;

/// <summary><see cref="CatalogText.Valid"/> plus three events in the shape of the shipped ones.</summary>
public static class EventCatalogText
{
    public const string Events = """

        [events.predictions-complete]
        path = "/pubsub/predictions-complete"
        verb = "predictions-complete"
        date = { fields = ["game_date"] }
        fields = { status = "string", correlation_id = "string" }
        runs_orchestrator = true

        [events.export-request]
        path = "/pubsub/export-request"
        verb = "export-request"
        sport = "nba"
        date = { fields = ["target_date"], default = "yesterday" }
        fields = { update_latest = { type = "bool", default = true }, correlation_id = { type = "string", default = "scheduled" }, trigger_source = "string" }
        runs_from = "export_types"
        flag = { field = "players", runs = ["scores"], options = ["min_games"] }

        [events.grading-complete]
        path = "/pubsub/grading-complete"
        verb = "grading-complete"
        date = { fields = ["target_date", "graded_date"] }
        fields = { status = "string", graded_count = { type = "integer", default = 0 }, ratio = "number", correlation_id = "string" }
        runs = [
          { row = "picks", when = [{ field = "status", equals = "success" }, { field = "graded_count", above = 0 }] },
          { row = "scores", when = [{ field = "status", in = ["success", "partial"] }] },
          "all",
        ]
        note = "after grading"
        """;

    public const string Valid = CatalogText.Valid + Events;

    public static string With(params (string Old, string New)[] edits) => CatalogText.Edit(Valid, edits);
}
