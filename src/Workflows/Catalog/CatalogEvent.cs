namespace ExportFlows.Workflows.Catalog;

/// <summary>
/// One <c>[events.NAME]</c> table: a message that starts Phase 6. It names its push path and trigger verb, how the
/// message gives the date, the other fields runs may use (typed), and what it runs: the named rows or groups
/// (<see cref="Runs"/>, each with an optional condition), the types the message lists (<see cref="RunsFrom"/>), or the
/// orchestrator's list through the tonight workflow and its guards (<see cref="RunsOrchestrator"/>).
/// </summary>
public sealed record CatalogEvent(string Name, string Path, string Verb, EventDate Date)
{
    /// <summary>The message's fields rows may use as request values, by name (typed, optionally with a default).</summary>
    public IReadOnlyDictionary<string, EventField> Fields { get; init; } = new Dictionary<string, EventField>();

    public IReadOnlyList<EventRun> Runs { get; init; } = [];

    /// <summary>The message field that lists the types to run (checked against the catalog), or null.</summary>
    public string? RunsFrom { get; init; }

    public bool RunsOrchestrator { get; init; }

    /// <summary>The sport this catalog's rows serve; a message naming another sport (<c>"sport"</c>) is refused.</summary>
    public string? Sport { get; init; }

    /// <summary>A second form of the message: when its boolean field is true, these rows run instead, with options read from it.</summary>
    public EventFlag? Flag { get; init; }

    public string Note { get; init; } = "";

    /// <summary>The field a message names its sport in.</summary>
    public const string SportField = "sport";
}
