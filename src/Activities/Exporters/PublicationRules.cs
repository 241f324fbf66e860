using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Activities.Exporters;

public enum PublicationAction
{
    Write,

    /// <summary>The same document (same clock, same bytes) is already there: a retried write that had succeeded.</summary>
    AlreadyWritten,

    /// <summary>A document generated later than this run is there: leave it.</summary>
    SkipNewer,

    /// <summary>This document is empty because an input is empty, and it would replace one that is not.</summary>
    RefuseEmpty,
}

public sealed record PublicationDecision(PublicationAction Action, string Reason);

/// <summary>
/// Whether a run may replace what is published: never with an older document (the as-of rule), never with an empty one
/// built from an empty input table (unless allowed). Decided from the store's metadata, before a conditional write.
/// </summary>
public static class PublicationRules
{
    public static PublicationDecision Decide(ObjectMetadata? existing, DateTimeOffset generatedAt, string md5, string? emptyBecause, bool force, bool allowEmpty)
    {
        if (existing is null)
        {
            return new(PublicationAction.Write, "no published document");
        }
        if (existing.GeneratedAt == generatedAt && existing.Md5Hash == md5)
        {
            return new(PublicationAction.AlreadyWritten, "this run's document is already published");
        }
        if (!force && existing.GeneratedAt is { } published && published > generatedAt)
        {
            return new(PublicationAction.SkipNewer,
                $"a newer document exists (generated_at {Text(published)} is later than this run's {Text(generatedAt)}); rerun with --force to replace it");
        }
        // A document written before this metadata existed counts as not empty: refusing is the safe side.
        if (emptyBecause is not null && !allowEmpty && existing.Empty != true)
        {
            return new(PublicationAction.RefuseEmpty,
                $"refusing to replace the published {existing.Name} with an empty document: {emptyBecause}; fix the input, or rerun with --allow-empty if it is really empty");
        }
        return new(PublicationAction.Write, "replacing an older document");
    }

    private static string Text(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A document would blank a published one because an input table or catalog is empty: not retried.</summary>
public sealed class EmptyInputException(string message) : Exception(message);

/// <summary>
/// Why a document would carry no data because an input it is built from is empty, or null: the reason the emptiness
/// rule of <see cref="PublicationRules"/> refuses it over a published document that is not empty.
/// </summary>
public static class EmptyInputs
{
    private static string Predictions => WarehouseTable.Predictions.QualifiedName;

    /// <summary>
    /// Picks of <paramref name="date"/>: no publishable subset, no candidate that day (predictions, or the team from
    /// the game tables), or no signal row that day while every subset needs one.
    /// </summary>
    public static string? Picks(SubsetCatalog catalog, IReadOnlyList<Candidate> candidates, DaySignal? signal, DateOnly date)
    {
        var day = ExportDates.ToText(date);
        if (catalog.EmptyBecause is { } noSubsets)
        {
            return noSubsets;
        }
        if (candidates.Count == 0)
        {
            return $"{Predictions} has no publishable prediction of the model for {day}";
        }
        return signal is null && catalog.Subsets.All(s => SubsetSelection.Select(s, candidates, null).Count == 0)
            ? $"{WarehouseTable.DailySignals.QualifiedName} has no row of the model for {day}, and no subset selects a pick without it"
            : null;
    }

    /// <summary>
    /// Performance over [<paramref name="start"/>, <paramref name="end"/>] (every window): no publishable subset, no
    /// candidate in the range, or no graded candidate (no results in the game summary).
    /// </summary>
    public static string? Performance(SubsetCatalog catalog, IReadOnlyDictionary<DateOnly, IReadOnlyList<Candidate>> candidates, DateOnly start, DateOnly end)
    {
        if (catalog.EmptyBecause is { } noSubsets)
        {
            return noSubsets;
        }
        var range = $"between {ExportDates.ToText(start)} and {ExportDates.ToText(end)}";
        var inRange = candidates.Where(d => d.Key >= start && d.Key <= end).SelectMany(d => d.Value).ToList();
        if (inRange.Count == 0)
        {
            return $"{Predictions} has no publishable prediction of the model {range}";
        }
        return inRange.Any(c => c.IsGraded)
            ? null
            : $"{WarehouseTable.PlayerGameSummary.QualifiedName} has no result for any of the model's {inRange.Count} predictions {range}";
    }
}
