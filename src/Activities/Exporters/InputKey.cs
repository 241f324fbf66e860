namespace ExportFlows.Activities.Exporters;

/// <summary>
/// The stored form of a document's input facts, <c>v2;warehouse=3f…;as_of=2026-02-03;…</c>, and what differs between
/// a recorded key and this run's facts, named for people ("the warehouse changed"). A key of another format (the
/// first one held only as-of date, model, season start and build) simply differs: the document is rebuilt once.
/// </summary>
public static class InputKey
{
    public const string Version = "v2";

    public static string Compose(IReadOnlyList<InputFact> facts) =>
        string.Join(';', facts.Select(f => $"{f.Name}={f.Value}").Prepend(Version));

    /// <summary>Why <paramref name="recorded"/> is not the key of <paramref name="facts"/>, or null when it is.</summary>
    public static string? Difference(string recorded, IReadOnlyList<InputFact> facts)
    {
        var parts = recorded.Split(';');
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts.Skip(1))
        {
            var at = part.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0 || !values.TryAdd(part[..at], part[(at + 1)..]))
            {
                return OlderFormat;
            }
        }
        if (parts[0] != Version || values.Count != facts.Count || facts.Any(f => !values.ContainsKey(f.Name)))
        {
            return OlderFormat;
        }
        var changed = facts.Where(f => values[f.Name] != f.Value)
            .Select(f => f.Readable ? $"{f.Label} ({values[f.Name]} → {f.Value})" : f.Label)
            .ToList();
        return changed.Count == 0 ? null : $"{Join(changed)} changed since the published document was computed";
    }

    private const string OlderFormat = "the published document records an older key format of its inputs; rebuilt once to record the current one";

    private static string Join(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];
}
