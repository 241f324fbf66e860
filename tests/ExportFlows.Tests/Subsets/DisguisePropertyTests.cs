using System.Globalization;
using System.Text;
using ExportFlows.Activities.Subsets;

namespace ExportFlows.Tests.Subsets;

/// <summary>
/// Property tests of the identifier guard (seeded generators, so a failure names its case and replays): every internal
/// id in any generated disguise is found, and generated real-looking player names with diacritics never are.
/// </summary>
public sealed class DisguisePropertyTests
{
    private const int Cases = 4000;

    /// <summary>Every model with a codename and every subset id the sample and hand warehouses hold.</summary>
    private static readonly string[] InternalIds =
        ["catboost_v9", "catboost_v9_202602", "catboost_v8", "ensemble_v1", "similarity_v1", "xgboost_v2",
         "v9_high_edge_top1", "v9_high_edge_top3", "v9_high_edge_top5", "v9_high_edge_top10", "v9_high_edge_balanced",
         "v9_high_edge_top5_balanced", "v9_high_edge_any", "v9_premium_safe", "v9_high_edge_warning", "v9_mystery",
         "v9_high_edge_over_only", "v8_high_edge_top5"];

    private static readonly string[] Invisibles =
        ["\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD", "\u034F", "\uFE0F", "\uFE00", "\u180E", "\u2061",
         "\u202A", "\u202C", "\u2066", "\u2069", "\U000E0020", "\U000E0061", "\U000E0100", "\u3164", "\u115F", "\u061C"];

    private static readonly string[] Marks =
        ["\u0336", "\u0335", "\u0338", "\u0301", "\u0300", "\u0308", "\u0327", "\u0331", "\u0489", "\u20DD", "\u20E3",
         "\u0903", "\u1DC4", "\uFE20", "\u0952"];

    private static readonly string[] Separators =
        ["_", "-", ".", " ", "", "\u2010", "\u2011", "\u2013", "\u2014", "\uFF3F", "\uFF0D", "\u00A0", "\u3000", "\u2009", "\u00B7", "__", " - "];

    /// <summary>Offsets of the mathematical alphanumeric alphabets without holes: bold, bold italic, sans-serif, sans bold, monospace.</summary>
    private static readonly (int Upper, int Lower)[] MathAlphabets =
        [(0x1D400, 0x1D41A), (0x1D468, 0x1D482), (0x1D5A0, 0x1D5BA), (0x1D5D4, 0x1D5EE), (0x1D670, 0x1D68A)];

    private static readonly int[] MathDigits = [0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6];

    [Fact]
    public void Leaked_GeneratedDisguiseOfEveryInternalId_Found()
    {
        var ids = PublicDocumentGuard.Prepare(InternalIds);
        var random = new Random(20260203);
        for (var i = 0; i < Cases; i++)
        {
            var id = InternalIds[i % InternalIds.Length];
            var disguise = Disguise(id, random);
            var leaked = PublicDocumentGuard.Leaked(disguise, ids);
            Assert.True(leaked is not null, $"case {i}: {PublicFieldShapes.Quote(disguise)} (a disguise of {id}) was not found");
        }
    }

    [Fact]
    public void Disguise_Generator_UsesEveryKindOfDisguise()
    {
        // The property above is only as strong as its generator: it must really produce each kind.
        var random = new Random(20260203);
        var all = string.Concat(Enumerable.Range(0, 500).Select(i => Disguise(InternalIds[i % InternalIds.Length], random)));
        var runes = all.EnumerateRunes().ToList();
        Assert.Contains(runes, r => Rune.GetUnicodeCategory(r) == UnicodeCategory.NonSpacingMark);
        Assert.Contains(runes, r => Rune.GetUnicodeCategory(r) == UnicodeCategory.EnclosingMark);
        Assert.Contains(runes, r => Rune.GetUnicodeCategory(r) == UnicodeCategory.Format);
        Assert.Contains(runes, r => r.Value is >= 0x0400 and <= 0x04FF);   // Cyrillic
        Assert.Contains(runes, r => r.Value is >= 0x0370 and <= 0x03FF);   // Greek
        Assert.Contains(runes, r => r.Value is >= 0x0530 and <= 0x058F);   // Armenian
        Assert.Contains(runes, r => r.Value is >= 0x13A0 and <= 0x13FF);   // Cherokee
        Assert.Contains(runes, r => r.Value is >= 0x1D400 and <= 0x1D7FF); // mathematical alphanumerics
        Assert.Contains(runes, r => r.Value is >= 0xFF01 and <= 0xFF5E);   // full-width
        Assert.Contains(runes, r => r.Value == '|');
        Assert.Contains("rn", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_GeneratedRealLookingNames_FitTheShapeAndCarryNoId()
    {
        var ids = PublicDocumentGuard.Prepare(InternalIds);
        var random = new Random(926);
        foreach (var name in KnownNames.Concat(Enumerable.Range(0, Cases).Select(_ => RealLookingName(random))))
        {
            foreach (var form in new[] { name, name.Normalize(NormalizationForm.FormD) })
            {
                Assert.True(PublicFieldShapes.PlayerName.Fits(form), $"{PublicFieldShapes.Quote(form)} does not fit the player name shape");
                var leaked = PublicDocumentGuard.Leaked(form, ids);
                Assert.True(leaked is null, $"{PublicFieldShapes.Quote(form)} was taken for {leaked}");
            }
        }
    }

    private static readonly string[] KnownNames =
        ["Nikola Jokić", "Luka Dončić", "Dāvis Bertāns", "Kristaps Porziņģis", "Alperen Şengün", "Jonas Valančiūnas",
         "Bogdan Bogdanović", "Dario Šarić", "Jusuf Nurkić", "Nikola Vučević", "Théo Maledon", "Vlatko Čančar",
         "Ömer Yurtseven", "Dennis Schröder", "Moussa Diabaté", "Đorđe Gagić", "Marcin Gortat", "Łukasz Kołodziej",
         "Søren Ødegaard", "Giannis Antetokounmpo", "Γιάννης Αντετοκούνμπο", "Никола Йокич", "Shaquille O'Neal",
         "De’Aaron Fox", "Karl-Anthony Towns", "A.J. Green", "Jaren Jackson Jr.", "Otto Porter III", "Nguyễn Văn Hưng",
         "Domantas Sabonis", "Bam Adebayo", "Kelly Oubre Jr.", "D'Angelo Russell", "Nick Smith Jr.", "Cam Reddish",
         "Jabari Smith", "Killian Hayes", "Anžejs Pasečņiks", "Rodions Kurucs", "Tomáš Satoranský", "Jakob Pöltl",
         "Dāvis Bertāns", "Micić Vasilije", "Žan Tabak", "Hedo Türkoğlu", "İsmail Balaban", "Ersan İlyasova"];

    private static readonly string[] Syllables =
        ["ka", "lu", "ni", "ko", "la", "jo", "dar", "mi", "tra", "ven", "sa", "bo", "gi", "an", "te", "to", "kou", "mpo",
         "ser", "ge", "de", "ron", "ja", "len", "bru", "son", "za", "ch", "ri", "os", "el", "ma", "ti", "as", "vic", "ber"];

    private static readonly char[] Accented =
        ['á', 'é', 'í', 'ó', 'ú', 'à', 'è', 'ò', 'ä', 'ë', 'ï', 'ö', 'ü', 'â', 'ê', 'ô', 'ã', 'õ', 'ñ', 'ç', 'č', 'ć', 'š',
         'ž', 'đ', 'ł', 'ø', 'ņ', 'ģ', 'ķ', 'ļ', 'ā', 'ē', 'ī', 'ū', 'ş', 'ğ', 'ı', 'ő', 'ű', 'ř', 'ě', 'ů', 'å', 'ý', 'ț'];

    private static readonly string[] Suffixes = ["", "", "", " Jr.", " Sr.", " II", " III", " IV"];

    private static string RealLookingName(Random random)
    {
        string Word()
        {
            var word = new StringBuilder(string.Concat(Enumerable.Range(0, random.Next(2, 5)).Select(_ => Syllables[random.Next(Syllables.Length)])));
            for (var k = random.Next(0, 3); k > 0; k--)
            {
                word[random.Next(word.Length)] = Accented[random.Next(Accented.Length)];
            }
            var text = word.ToString();
            return char.ToUpperInvariant(text[0]) + text[1..];
        }
        var first = random.Next(8) == 0 ? $"{(char)('A' + random.Next(26))}.{(char)('A' + random.Next(26))}." : Word();
        var last = random.Next(5) switch
        {
            0 => $"{Word()}-{Word()}",
            1 => $"{"OD"[random.Next(2)]}{"'’"[random.Next(2)]}{Word()}",
            _ => Word(),
        };
        return $"{first} {last}{Suffixes[random.Next(Suffixes.Length)]}";
    }

    /// <summary>The id with each character possibly disguised, invisibles between, separators replaced, letters glued on.</summary>
    private static string Disguise(string id, Random random)
    {
        var builder = new StringBuilder();
        if (random.Next(3) == 0)
        {
            builder.Append(Glue(random));
        }
        foreach (var c in id)
        {
            builder.Append(c == '_' ? Separators[random.Next(Separators.Length)] : Character(c, random));
            if (char.IsLetter(c) && random.Next(4) == 0)
            {
                builder.Append(Marks[random.Next(Marks.Length)]);
            }
            if (random.Next(5) == 0)
            {
                builder.Append(Invisibles[random.Next(Invisibles.Length)]);
            }
        }
        if (random.Next(3) == 0)
        {
            builder.Append(Glue(random));
        }
        return builder.ToString();
    }

    private static string Glue(Random random) =>
        string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => "xQz7aK0_ "[random.Next(9)]));

    private static string Character(char c, Random random)
    {
        if (char.IsDigit(c))
        {
            return (random.Next(6), c) switch
            {
                (0, _) => ((char)(c - '0' + '\uFF10')).ToString(),
                (1, _) => char.ConvertFromUtf32(MathDigits[random.Next(MathDigits.Length)] + c - '0'),
                (2, '1') => new[] { "l", "I", "|", "\u0399", "\u04C0", "\u01C0" }[random.Next(6)],
                (2, '0') => new[] { "O", "o", "\u039F", "\u041E", "\u0555", "\u0966" }[random.Next(6)],
                _ => c.ToString(),
            };
        }
        var upper = random.Next(2) == 0;
        var letter = upper ? char.ToUpperInvariant(c) : c;
        switch (random.Next(7))
        {
            case 0 or 1:
                var lookalikes = Confusables.LookalikesOf(letter).Concat(Confusables.LookalikesOf(char.ToLowerInvariant(c))).ToList();
                return lookalikes.Count == 0 ? letter.ToString() : lookalikes[random.Next(lookalikes.Count)];
            case 2:
                var (capital, small) = MathAlphabets[random.Next(MathAlphabets.Length)];
                return char.ConvertFromUtf32(upper ? capital + letter - 'A' : small + letter - 'a');
            case 3:
                return ((char)(letter - '!' + '\uFF01')).ToString();
            case 4 when c == 'm':
                return "rn";
            default:
                return letter.ToString();
        }
    }
}
