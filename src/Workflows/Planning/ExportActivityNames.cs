namespace ExportFlows.Workflows.Planning;

/// <summary>
/// The activities every ExportFlows worker registers besides the exports (whose names the catalog gives per type:
/// <c>Export</c> + the type in PascalCase unless the row says otherwise).
/// </summary>
public static class ExportActivityNames
{
    public const string CountActivePredictions = "CountActivePredictions";
    public const string GetExportConfiguration = "GetExportConfiguration";
    public const string ExportDateSpan = "ExportDateSpan";
}
