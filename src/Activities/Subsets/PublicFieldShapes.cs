using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Activities.Subsets;

/// <summary>What a public string field may hold; a value outside it is never published.</summary>
/// <param name="fixedVocabulary">The values are fixed in code (<see cref="OneOf"/>), never read from data.</param>
public sealed class PublicFieldShape(string description, Func<string, bool> fits, bool fixedVocabulary = false)
{
    /// <summary>"a team code (2 to 4 uppercase ASCII letters)": completes "… is not …".</summary>
    public string Description => description;

    public bool Fits(string value) => fits(value);

    public bool FixedVocabulary => fixedVocabulary;

    /// <summary>A fixed vocabulary.</summary>
    public static PublicFieldShape OneOf(string what, IEnumerable<string> values)
    {
        var set = values.ToFrozenSet(StringComparer.Ordinal);
        return new PublicFieldShape($"{what} (one of {string.Join(", ", set.Order(StringComparer.Ordinal).Select(v => $"\"{v}\""))})", set.Contains, fixedVocabulary: true);
    }
}

/// <summary>The shapes of the string fields the documents share; a document's own vocabularies are declared by its exporter.</summary>
public static class PublicFieldShapes
{
    public const int MaxPlayerNameLength = 64;

    /// <summary>Combining marks in a row on one letter (Vietnamese needs two); more is stacking, not a name.</summary>
    public const int MaxMarksInARow = 3;

    public static readonly PublicFieldShape TeamCode =
        new("a team code (2 to 4 uppercase ASCII letters)", v => v.Length is >= 2 and <= 4 && v.All(char.IsAsciiLetterUpper));

    public static readonly PublicFieldShape PlayerName = new(
        $"a player name (up to {MaxPlayerNameLength} letters, combining marks, spaces, apostrophes ' ’, hyphens and periods, starting with a letter)",
        IsPlayerName);

    public static readonly PublicFieldShape Date = new("a date (YYYY-MM-DD)",
        v => v.Length == 10 && DateOnly.TryParseExact(v, ExportDates.Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out _));

    public static readonly PublicFieldShape Timestamp = new("a UTC timestamp (YYYY-MM-DDTHH:MM:SS.ffffff+00:00)",
        v => v.Length == 32 && DateTimeOffset.TryParseExact(v, ExportDates.TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _));

    public static readonly PublicFieldShape Direction = PublicFieldShape.OneOf("a direction", ["OVER", "UNDER"]);

    public static PublicFieldShape ModelCodename(PublicationNames names) => PublicFieldShape.OneOf("a public model codename", names.ModelCodenames.Values);

    public static PublicFieldShape SubsetId(PublicationNames names) => PublicFieldShape.OneOf("a public subset id", names.Subsets.Values.Select(n => n.IdText));

    public static PublicFieldShape SubsetName(PublicationNames names) => PublicFieldShape.OneOf("a public subset name", names.Subsets.Values.Select(n => n.Name));

    public static PublicFieldShape SubsetDescription(PublicationNames names) =>
        PublicFieldShape.OneOf("a public subset description", names.Subsets.Values.Select(n => n.Description));

    /// <summary>Throws a <see cref="ContractViolationException"/> naming document, field and row unless <paramref name="value"/> fits.</summary>
    public static void Require(string document, string field, string value, PublicFieldShape shape, string row)
    {
        if (!shape.Fits(value))
        {
            throw new ContractViolationException(
                $"{document}: '{field}' of {row} is {Quote(value)}, which is not {shape.Description}; the document is not published until the source row is fixed");
        }
    }

    /// <summary>The value for an error message: quoted, at most 80 characters, every invisible or control character as \uXXXX.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder("\"");
        var shown = 0;
        foreach (var rune in WellFormedRunes(value))
        {
            if (++shown > 80)
            {
                builder.Append('…');
                break;
            }
            var category = Rune.GetUnicodeCategory(rune);
            var visible = rune.Value == ' ' || (!Rune.IsWhiteSpace(rune) && !ConfusableSkeleton.IsInvisible(rune) && category is not
                (UnicodeCategory.Control or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned));
            builder.Append(visible ? rune.ToString() : rune.IsBmp ? $"\\u{rune.Value:X4}" : $"\\U{rune.Value:X8}");
        }
        return builder.Append('"').ToString();
    }

    private static bool IsPlayerName(string value)
    {
        if (value.Length is 0 || value.Length > 2 * MaxPlayerNameLength)
        {
            return false;
        }
        var count = 0;
        var marks = 0;
        var afterLetter = false;
        foreach (var rune in WellFormedRunes(value))
        {
            count++;
            var category = Rune.GetUnicodeCategory(rune);
            var isLetter = Rune.IsLetter(rune) && !ConfusableSkeleton.IsInvisible(rune);
            var isMark = category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
            if (count == 1 && !isLetter)
            {
                return false;
            }
            if (isMark)
            {
                // A mark belongs on a letter; invisible marks (U+034F, variation selectors) are not accents.
                if (!afterLetter || ++marks > MaxMarksInARow || IsDefaultIgnorableMark(rune.Value))
                {
                    return false;
                }
            }
            else if (isLetter || rune.Value is ' ' or '\'' or '\u2019' or '-' or '.')
            {
                marks = 0;
                afterLetter = isLetter;
            }
            else
            {
                return false;
            }
        }
        return count <= MaxPlayerNameLength;
    }

    private static bool IsDefaultIgnorableMark(int value) =>
        value is 0x034F or 0x17B4 or 0x17B5 or (>= 0x180B and <= 0x180F) or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF);

    /// <summary>Runes of <paramref name="value"/>, a lone surrogate as U+FFFD (which fits no shape).</summary>
    private static IEnumerable<Rune> WellFormedRunes(string value)
    {
        for (var at = 0; at < value.Length;)
        {
            Rune.DecodeFromUtf16(value.AsSpan(at), out var rune, out var consumed);
            at += consumed;
            yield return rune;
        }
    }
}
