using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Workflows.Catalog;

/// <summary>
/// Every export type, group, schedule and publication name, as read from one catalog file (<c>catalog/exportflows.toml</c>
/// or the file configured). Workflows receive it as recorded data through the configuration local activity; one run
/// uses one catalog throughout. <paramref name="Fingerprint"/> identifies the file's content.
/// </summary>
public sealed record ExportCatalog(
    string Fingerprint,
    string Source,
    IReadOnlyList<ExportTypeRow> Types,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Groups,
    IReadOnlyList<string> Orchestrator,
    IReadOnlyList<ExportScheduleEntry> Schedules,
    PublicationNames Publication)
{
    public const string ShippedSource = "catalog/exportflows.toml (shipped)";

    public const string RecordedSource = "catalog of main 570aefc (frozen)";

    /// <summary>The catalog this build ships (embedded).</summary>
    public static ExportCatalog Shipped => ShippedCatalog.Value;

    /// <summary>
    /// The catalog as first shipped, frozen: executions recorded before workflows read the catalog (and before the
    /// export graph) replay with it, whatever the shipped catalog says today.
    /// </summary>
    public static ExportCatalog Recorded => ShippedCatalog.Recorded;

    /// <summary>The text of the shipped catalog file (embedded in this assembly).</summary>
    public static string ShippedText() => ShippedCatalog.Text();

    /// <summary>The messages that start Phase 6 (<c>[events.NAME]</c>), in the file's order; none in catalogs recorded before events.</summary>
    public IReadOnlyList<CatalogEvent> Events { get; init; } = [];

    public CatalogEvent? FindEvent(string name) => Events.FirstOrDefault(e => e.Name == name);

    public IEnumerable<string> TypeNames => Types.Select(t => t.Name);

    public IEnumerable<string> NativeTypes => Types.Where(t => !t.IsExternal).Select(t => t.Name);

    public IEnumerable<string> ValidNames => TypeNames.Concat(Groups.Keys);

    public ExportTypeRow? Find(string name) => Types.FirstOrDefault(t => t.Name == name);

    public bool TryGet(string name, out ExportTypeRow row) => (row = Find(name)!) is not null;

    public ExportTypeRow Get(string name) => Find(name) ?? throw new InvalidExportRequestException(UnknownMessage(name));

    public bool IsExternal(string name) => Find(name)?.IsExternal == true;

    public string UnknownMessage(string name) =>
        $"unknown export type '{name}'{NameSuggestion.Hint(name, ValidNames)}; valid names: {string.Join(", ", ValidNames)} (catalog {Source}, {Fingerprint})";
}

/// <summary>What the public documents call internal ids: each model's codename and each subset's public id, name and description.</summary>
public sealed record PublicationNames(
    IReadOnlyDictionary<string, string> ModelCodenames,
    IReadOnlyDictionary<string, PublicSubsetName> Subsets)
{
    public PublicSubsetName? FindSubset(string subsetId) => Subsets.GetValueOrDefault(subsetId);
}

public sealed record PublicSubsetName(int Id, string Name, string Description)
{
    public string IdText => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

internal static class ShippedCatalog
{
    private static readonly Lazy<ExportCatalog> Catalog = new(() => Load("ExportFlows.catalog.toml", ExportCatalog.ShippedSource));

    private static readonly Lazy<ExportCatalog> RecordedCatalog = new(() => Load("ExportFlows.catalog-570aefc.toml", ExportCatalog.RecordedSource));

    public static ExportCatalog Value => Catalog.Value;

    public static ExportCatalog Recorded => RecordedCatalog.Value;

    public static string Text() => Text("ExportFlows.catalog.toml");

    private static string Text(string resource)
    {
        using var stream = typeof(ShippedCatalog).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is not embedded in ExportFlows.Workflows");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static ExportCatalog Load(string resource, string source)
    {
        var parsed = ExportCatalogParser.Parse(Text(resource), source);
        return parsed.Catalog ?? throw new InvalidOperationException(
            $"{source} does not validate: " + string.Join("; ", parsed.Errors));
    }
}
