using ExportFlows.Activities.Storage;

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
