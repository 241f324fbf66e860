namespace ExportFlows.Tests.Catalog;

/// <summary><see cref="CatalogText.Valid"/> plus three events in the shape of the shipped ones.</summary>
public static class EventCatalogText
{
    /// <summary>The events (tests/catalogs/events.toml, which the Python tests read too).</summary>
    public static readonly string Events = "\n" + File.ReadAllText(Support.RepositoryFiles.PathOf("tests", "catalogs", "events.toml"));

    public static readonly string Valid = CatalogText.Valid + Events;

    public static string With(params (string Old, string New)[] edits) => CatalogText.Edit(Valid, edits);
}
