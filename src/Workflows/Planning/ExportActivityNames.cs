using System.Globalization;

namespace ExportFlows.Workflows.Planning;

/// <summary>Activity type names as they appear in the Temporal UI: <c>Export</c> + the type in PascalCase.</summary>
public static class ExportActivityNames
{
    public const string SubsetPicks = "ExportSubsetPicks";
    public const string DailySignals = "ExportDailySignals";
    public const string SubsetPerformance = "ExportSubsetPerformance";
    public const string SubsetDefinitions = "ExportSubsetDefinitions";
    public const string CountActivePredictions = "CountActivePredictions";
    public const string GetExportConfiguration = "GetExportConfiguration";
    public const string ExportDateSpan = "ExportDateSpan";

    /// <summary><c>results</c> → <c>ExportResults</c>, <c>tonight-players</c> → <c>ExportTonightPlayers</c>.</summary>
    public static string For(string type) =>
        "Export" + string.Concat(type.Split('-', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => char.ToUpper(part[0], CultureInfo.InvariantCulture) + part[1..]));
}
