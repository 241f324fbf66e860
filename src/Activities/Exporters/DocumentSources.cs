using ExportFlows.Activities.Warehouse;

namespace ExportFlows.Activities.Exporters;

/// <summary>
/// Everything a fixed-path document is computed from, listed once (<see cref="FixedPathExporter.SourcesOf"/>): the facts
/// that make up its stored key, and the tables whose modification times decide whether their data changed since.
/// A run leaves the document in place only when both are unchanged (<see cref="UnchangedInputs"/>).
/// </summary>
public sealed record DocumentSources(IReadOnlyList<InputFact> Facts, IReadOnlyList<WarehouseTable> Tables)
{
    /// <summary>The key recorded with the document: <c>v2;name=value;…</c> (<see cref="InputKey"/>).</summary>
    public string Key => InputKey.Compose(Facts);
}
