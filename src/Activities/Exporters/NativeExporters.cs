namespace ExportFlows.Activities.Exporters;

/// <summary>
/// The C# exporters a native catalog row can name as its <c>implementation</c>: registered here once, for the worker,
/// the in-process engine and catalog validation alike.
/// </summary>
public static class NativeExporters
{
    public static IReadOnlyDictionary<string, Type> ByName { get; } = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [SubsetPicksExporter.Name] = typeof(SubsetPicksExporter),
        [DailySignalsExporter.Name] = typeof(DailySignalsExporter),
        [SubsetPerformanceExporter.Name] = typeof(SubsetPerformanceExporter),
        [SubsetDefinitionsExporter.Name] = typeof(SubsetDefinitionsExporter),
    };

    public static IReadOnlySet<string> Names { get; } = ByName.Keys.ToHashSet(StringComparer.Ordinal);
}
