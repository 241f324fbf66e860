using Temporalio.Common;

namespace ExportFlows.Workflows.Planning;

/// <summary>
/// Custom search attributes set on every export run, so the UI can list "every run for 2026-02-03" or "every hourly run".
/// Register them once per namespace (docker-compose does; see README):
/// <c>temporal operator search-attribute create --name ExportDate --type Keyword</c> (likewise ExportTypes KeywordList, ExportTrigger Keyword).
/// </summary>
public static class ExportSearchAttributes
{
    /// <summary>Target date (or as-of date) as YYYY-MM-DD: <c>ExportDate = '2026-02-03'</c>.</summary>
    public static readonly SearchAttributeKey<string> ExportDate = SearchAttributeKey.CreateKeyword("ExportDate");

    public static readonly SearchAttributeKey<IReadOnlyCollection<string>> ExportTypes = SearchAttributeKey.CreateKeywordList("ExportTypes");

    /// <summary>cli, orchestrator, schedule id (e.g. schedule:phase6-hourly-performance), backfill.</summary>
    public static readonly SearchAttributeKey<string> ExportTrigger = SearchAttributeKey.CreateKeyword("ExportTrigger");

    public static IReadOnlyList<SearchAttributeKey> All { get; } = [ExportDate, ExportTypes, ExportTrigger];

    public static string? DateOf(ExportPlan plan) =>
        plan.TargetDate is { } target ? ExportDates.ToText(target) : plan.AsOfDate is { } asOf ? ExportDates.ToText(asOf) : null;

    public static SearchAttributeCollection For(ExportPlan plan)
    {
        var builder = new SearchAttributeCollection.Builder()
            .Set(ExportTypes, plan.Types.ToList())
            .Set(ExportTrigger, plan.Trigger);
        if (DateOf(plan) is { } date)
        {
            builder.Set(ExportDate, date);
        }
        return builder.ToSearchAttributeCollection();
    }
}
