using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Workflows.Planning;

/// <summary>How an export type names an object: per date, at a fixed path, a latest/today companion, or one per player under a folder.</summary>
public enum ExportObjectKind
{
    DateKeyed,
    Fixed,
    Latest,
    PerPlayer,
}

/// <summary>
/// One object (or folder of per-player objects) of an export type, as the catalog names it (<c>v1/…</c>):
/// <c>{date}</c> stands for the date; a <see cref="ExportObjectKind.PerPlayer"/> pattern is a folder, and
/// <paramref name="Except"/> names an object in it that is not a player's (players/index.json).
/// </summary>
public sealed record ExportObjectSpec(string Type, string Pattern, ExportObjectKind Kind, string CacheControl, string? Except = null)
{
    public const string DatePlaceholder = "{date}";

    public string Name(DateOnly date) => Pattern.Replace(DatePlaceholder, ExportDates.ToText(date), StringComparison.Ordinal);

    /// <summary>
    /// The specs of a type's catalog objects: a path ending in '/' is a per-player folder (other objects of the type
    /// under it are excepted), one with <c>{date}</c> is dated, a fixed path beside a dated one is its latest/today companion.
    /// </summary>
    public static IReadOnlyList<ExportObjectSpec> From(string type, IReadOnlyList<(string Path, string CacheControl)> objects)
    {
        var dated = objects.Any(o => o.Path.Contains(DatePlaceholder, StringComparison.Ordinal));
        return objects.Select(o =>
        {
            if (o.Path.EndsWith('/'))
            {
                var inside = objects.Select(x => x.Path).FirstOrDefault(p => p != o.Path && p.StartsWith(o.Path, StringComparison.Ordinal));
                return new ExportObjectSpec(type, o.Path, ExportObjectKind.PerPlayer, o.CacheControl, inside);
            }
            var kind = o.Path.Contains(DatePlaceholder, StringComparison.Ordinal) ? ExportObjectKind.DateKeyed
                : dated ? ExportObjectKind.Latest : ExportObjectKind.Fixed;
            return new ExportObjectSpec(type, o.Path, kind, o.CacheControl);
        }).ToList();
    }

    /// <summary>Whether an object name written for <paramref name="date"/> is this spec's (a per-player folder: any *.json directly in it).</summary>
    public bool Matches(string name, DateOnly? date)
    {
        if (Kind == ExportObjectKind.PerPlayer)
        {
            // A dated folder (v1/tonight/player/{date}/) holds that date's players only.
            var folder = !Pattern.Contains(DatePlaceholder, StringComparison.Ordinal) ? Pattern : date is { } day ? Name(day) : null;
            var rest = folder is not null && name.StartsWith(folder, StringComparison.Ordinal) ? name[folder.Length..] : null;
            return rest is { Length: > 5 } && !rest.Contains('/') && rest.EndsWith(".json", StringComparison.Ordinal);
        }
        return Kind == ExportObjectKind.DateKeyed ? date is { } d && name == Name(d) : name == Pattern;
    }
}
