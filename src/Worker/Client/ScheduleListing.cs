namespace ExportFlows.Worker.Client;

/// <summary>A schedule as <c>schedules list</c> shows it.</summary>
public sealed record ScheduleListing(string Id, bool Paused, string? Note, IReadOnlyList<DateTimeOffset> NextFireTimes, string LastResult);
