namespace ExportFlows.Workflows.Planning;

/// <summary>Activity type names as they appear in the Temporal UI.</summary>
public static class ExportActivityNames
{
    public const string SubsetPicks = "ExportSubsetPicks";
    public const string DailySignals = "ExportDailySignals";
    public const string SubsetPerformance = "ExportSubsetPerformance";
    public const string SubsetDefinitions = "ExportSubsetDefinitions";
    public const string CountActivePredictions = "CountActivePredictions";
    public const string GetExportConfiguration = "GetExportConfiguration";
    public const string ExportDateSpan = "ExportDateSpan";
}
