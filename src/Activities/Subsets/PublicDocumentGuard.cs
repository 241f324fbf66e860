using System.Text.Json;

namespace ExportFlows.Activities.Subsets;

/// <summary>
/// Checks a document before it is written: every key must be on the document's allow-list, every string must be under
/// a declared string field and fit its <see cref="PublicFieldShape"/>, and no string from data (every field but the
/// fixed vocabularies) may carry an internal identifier (model id, subset ids) or a forbidden term. A failure is a
/// contract violation, not retried.
/// </summary>
/// <remarks>
/// Strings are compared by how they look, not by their bytes: both sides are reduced to their
/// <see cref="ConfusableSkeleton"/> (marks, format characters and width removed, homoglyphs mapped to Latin, case and
/// 0/o, 1/l folded). Then separators (<c>_ - . space</c> and every other non-letter, non-digit) are normalised, and an
/// identifier is looked for according to what it looks like (<see cref="IdMatch"/>), so an ordinary word that happens
/// to be a subset id never blocks an ordinary name.
/// </remarks>
public static class PublicDocumentGuard
{
    /// <summary>An identifier-like id whose compact skeleton has at least this many characters is found even glued to letters.</summary>
    public const int GluedMatchLength = 8;

    private static readonly string[] ForbiddenTerms = ["catboost", "xgboost", "system_id", "subset_id", "confidence_score", "composite_score", "prediction_id"];

    private static readonly string[] ForbiddenSkeletons = ForbiddenTerms.Select(t => ConfusableSkeleton.Compact(ConfusableSkeleton.Of(t))).ToArray();

    public static void Check(string documentName, ReadOnlySpan<byte> utf8, IReadOnlySet<string> allowedKeys,
        IReadOnlyDictionary<string, PublicFieldShape> stringFields, IEnumerable<string> internalIds)
    {
        var ids = Prepare(internalIds);
        var checkedValues = new HashSet<string>(StringComparer.Ordinal); // names and team codes repeat across groups
        var reader = new Utf8JsonReader(utf8);
        string? key = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                key = reader.GetString()!;
                if (!allowedKeys.Contains(key))
                {
                    throw new ContractViolationException($"{documentName}: key '{key}' is not part of the public document");
                }
            }
            else if (reader.TokenType == JsonTokenType.String)
            {
                var value = reader.GetString()!;
                if (key is null || !stringFields.TryGetValue(key, out var shape))
                {
                    throw new ContractViolationException($"{documentName}: '{key}' holds the string {PublicFieldShapes.Quote(value)} but is not a declared string field");
                }
                PublicFieldShapes.Require(documentName, key, value, shape, "the document");
                // A value of a fixed vocabulary is one of the code's own words (a public subset name such as "Top 5"
                // may look like an unnamed subset id "top_5"); only values that come from data can carry an id.
                if (!shape.FixedVocabulary && checkedValues.Add(value) && Leaked(value, ids) is { } leaked)
                {
                    throw new ContractViolationException($"{documentName}: value {PublicFieldShapes.Quote(value)} of '{key}' carries the internal identifier '{leaked}'");
                }
            }
        }
    }

    /// <summary>The internal ids as the guard compares them; empty ones dropped, duplicates merged.</summary>
    public static IReadOnlyList<InternalId> Prepare(IEnumerable<string> internalIds) =>
        internalIds.Select(InternalId.Of).Where(i => i.Compact.Length > 0).DistinctBy(i => (i.Compact, i.Match)).ToList();

    /// <summary>The forbidden term or internal identifier <paramref name="value"/> carries, or null.</summary>
    public static string? Leaked(string value, IReadOnlyList<InternalId> ids)
    {
        var skeleton = ConfusableSkeleton.Of(value);
        var compact = ConfusableSkeleton.Compact(skeleton);
        for (var i = 0; i < ForbiddenTerms.Length; i++)
        {
            if (compact.Contains(ForbiddenSkeletons[i], StringComparison.Ordinal))
            {
                return ForbiddenTerms[i];
            }
        }
        var separated = ConfusableSkeleton.Separated(skeleton);
        return ids.FirstOrDefault(id => id.Match switch
        {
            IdMatch.Anywhere => compact.Contains(id.Compact, StringComparison.Ordinal),
            IdMatch.AtBoundaries => ContainsAtBoundaries(separated, id.Separated),
            _ => compact == id.Compact,
        })?.Id;
    }

    public static string? Leaked(string value, IEnumerable<string> internalIds) => Leaked(value, Prepare(internalIds));

    private static bool ContainsAtBoundaries(string text, string id)
    {
        for (var at = text.IndexOf(id, StringComparison.Ordinal); at >= 0; at = text.IndexOf(id, at + 1, StringComparison.Ordinal))
        {
            var end = at + id.Length;
            if ((at == 0 || text[at - 1] == '_') && (end == text.Length || text[end] == '_'))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>How an internal id is looked for in a value.</summary>
public enum IdMatch
{
    /// <summary>Identifier-like and long (<c>catboost_v9</c>): anywhere, glued to letters or digits or not.</summary>
    Anywhere,

    /// <summary>Identifier-like but short (<c>v9_a</c>): where it stands between separators or the ends of the value.</summary>
    AtBoundaries,

    /// <summary>Looks like an ordinary word or is very short (<c>a</c>, <c>pick</c>): only as the whole value.</summary>
    WholeValue,
}

/// <summary>An internal id with its skeletons: <see cref="Compact"/> without separators, <see cref="Separated"/> with each run of them as one <c>_</c>.</summary>
public sealed record InternalId(string Id, string Compact, string Separated, IdMatch Match)
{
    public static InternalId Of(string id)
    {
        var skeleton = ConfusableSkeleton.Of(id);
        var compact = ConfusableSkeleton.Compact(skeleton);
        var identifierLike = id.Trim().Length >= 4 && id.Any(c => c is '_' or '-' || char.IsDigit(c));
        var match = !identifierLike ? IdMatch.WholeValue : compact.Length >= PublicDocumentGuard.GluedMatchLength ? IdMatch.Anywhere : IdMatch.AtBoundaries;
        return new InternalId(id, compact, ConfusableSkeleton.Separated(skeleton), match);
    }
}
