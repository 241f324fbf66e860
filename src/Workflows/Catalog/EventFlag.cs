namespace ExportFlows.Workflows.Catalog;

/// <summary>
/// A second form of an event's message (<c>{"players": true, "min_games": 5}</c>): when <paramref name="Field"/> is
/// true, <paramref name="Runs"/> run instead, and each of <paramref name="Options"/> is read from the message (an option
/// of those rows, within its bounds; the row's default when absent).
/// </summary>
public sealed record EventFlag(string Field, IReadOnlyList<string> Runs, IReadOnlyList<string> Options);
