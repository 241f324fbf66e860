namespace ExportFlows.Workflows.Catalog;

/// <summary>
/// A row or group an event runs; with <paramref name="When"/>, only when every condition holds (else reported skipped).
/// <see cref="After"/> names entries listed before it in the same event that it waits for when they run (the event's
/// fixed order; it never brings them in, and a skipped or failed one does not stop it).
/// </summary>
public sealed record EventRun(string Name, IReadOnlyList<EventCondition> When)
{
    public IReadOnlyList<string> After { get; init; } = [];

    public override string ToString() =>
        Name + (When.Count == 0 ? "" : $" when {string.Join(" and ", When)}") + (After.Count == 0 ? "" : $" after {string.Join(", ", After)}");
}
