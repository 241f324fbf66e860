using System.Globalization;
using System.Text;

namespace ExportFlows.Activities.Subsets;

/// <summary>
/// The "skeleton" of a string in the sense of Unicode TR39 (security mechanisms): two strings that look alike have the
/// same skeleton. Steps: NFKD (full-width, mathematical alphanumerics, ligatures, circled letters become plain
/// letters), every combining mark (Mn, Mc, Me: accents, U+0336 strike-through, U+034F, variation selectors) and every
/// format or other default-ignorable character (Cf: zero-width spaces, soft hyphen, bidi controls, tag characters;
/// Hangul fillers) removed, confusable letters mapped to their Latin lookalike (<see cref="Confusables"/>), case
/// folded, and the lookalike classes folded together (0/o, 1/l/I/i/|, m/rn). The result is only ever compared, never
/// shown.
/// </summary>
/// <remarks>
/// TR39's full confusables.txt (≈ 6,000 entries) is not shipped; <see cref="Confusables"/> is a curated subset for the
/// scripts that have Latin lookalikes (Cyrillic, Greek, Armenian, Cherokee, Latin small capitals and IPA letters,
/// stroked Latin letters). A lookalike from a script outside it (Canadian syllabics, Runic, Ethiopic, …) is not mapped.
/// </remarks>
public static class ConfusableSkeleton
{
    public static string Of(string value)
    {
        if (Ascii.IsValid(value))
        {
            // NFKD and the table change no ASCII character.
            return FoldLookalikeClasses(value.ToLowerInvariant());
        }
        // Mapped before and after NFKD: compatibility decomposition turns some lookalikes into letters that are not
        // (Greek lunate sigma ϲ, which looks like c, into final sigma ς).
        var decomposed = MapLookalikes(WellFormed(value).Normalize(NormalizationForm.FormD)).Normalize(NormalizationForm.FormKD);
        var visible = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (!IsInvisible(rune))
            {
                visible.Append(rune.ToString());
            }
        }
        // A lowercased letter may itself be a lookalike (Greek Σ → σ → o).
        return FoldLookalikeClasses(MapLookalikes(MapLookalikes(visible.ToString()).ToLowerInvariant()).ToLowerInvariant());
    }

    private static string MapLookalikes(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            builder.Append(Confusables.Latin(rune) ?? rune.ToString());
        }
        return builder.ToString();
    }

    /// <summary>The skeleton with every character that is neither a letter nor a digit removed: separators never separate.</summary>
    public static string Compact(string skeleton)
    {
        var builder = new StringBuilder(skeleton.Length);
        foreach (var rune in skeleton.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                builder.Append(rune.ToString());
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// The skeleton with each run of characters that are neither letters nor digits (<c>_ - . space</c> and the rest)
    /// replaced by one <c>_</c>, and none at either end.
    /// </summary>
    public static string Separated(string skeleton)
    {
        var builder = new StringBuilder(skeleton.Length);
        var pending = false;
        foreach (var rune in skeleton.EnumerateRunes())
        {
            if (!Rune.IsLetterOrDigit(rune))
            {
                pending = builder.Length > 0;
                continue;
            }
            if (pending)
            {
                builder.Append('_');
                pending = false;
            }
            builder.Append(rune.ToString());
        }
        return builder.ToString();
    }

    /// <summary>
    /// Invisible in text: combining marks (Mn, Mc, Me), format characters (Cf), and the default-ignorable code points
    /// of other categories (Hangul fillers, unassigned default-ignorables).
    /// </summary>
    public static bool IsInvisible(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format => true,
        _ => rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or (>= 0x2060 and <= 0x206F) or (>= 0xFFF0 and <= 0xFFF8) or (>= 0xE0000 and <= 0xE0FFF),
    };

    /// <summary>Lone surrogates become U+FFFD, so normalisation never throws on a malformed value.</summary>
    private static string WellFormed(string value)
    {
        if (!value.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return value;
        }
        var builder = new StringBuilder(value.Length);
        for (var at = 0; at < value.Length;)
        {
            Rune.DecodeFromUtf16(value.AsSpan(at), out var rune, out var consumed);
            builder.Append(rune.ToString());
            at += consumed;
        }
        return builder.ToString();
    }

    /// <summary>TR39 treats 0 and O, 1, I and l, m and rn as the same; after case folding i joins l (capital I looked like l).</summary>
    private static string FoldLookalikeClasses(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            switch (c)
            {
                case '0':
                    builder.Append('o');
                    break;
                case '1' or 'i' or '|':
                    builder.Append('l');
                    break;
                case 'm':
                    builder.Append("rn");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
        return builder.ToString();
    }
}
