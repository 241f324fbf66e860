using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExportFlows.Activities.Subsets;

/// <summary>
/// Writes public JSON with a fixed format: two-space indentation, LF line ends, UTF-8 without BOM and without
/// escaping non-ASCII, rounded numbers with exactly one decimal, timestamps with six fractional digits.
/// </summary>
public sealed class PublicDocumentWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    public PublicDocumentWriter() => Json = new Utf8JsonWriter(_buffer, Options);

    public Utf8JsonWriter Json { get; }

    public void WriteRounded(string name, decimal value)
    {
        Json.WritePropertyName(name);
        Json.WriteRawValue(PublicRounding.Round1(value).ToString("0.0", CultureInfo.InvariantCulture), skipInputValidation: true);
    }

    public void WriteDate(string name, DateOnly date) => Json.WriteString(name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public void WriteGeneratedAt(DateTimeOffset generatedAt) =>
        Json.WriteString("generated_at", generatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture));

    public byte[] ToArray()
    {
        Json.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    public void Dispose() => Json.Dispose();
}

/// <summary>
/// Checks a document before it is written: every key must be on the document's allow-list and no string may carry an
/// internal identifier (model id, subset ids) or a forbidden term. Strings are compared by meaning, not by bytes: NFKC
/// normalisation (full-width and other compatibility forms), format characters (zero-width spaces, soft hyphens)
/// removed, case folded. An identifier that looks like one (four or more characters with a digit, '_' or '-') is found
/// wherever it stands between non-identifier characters; an identifier that looks like an ordinary word or is very
/// short ("a", "pick") only when it is the whole value, so ordinary names never trip it. A failure is a contract
/// violation, not retried.
/// </summary>
public static class PublicDocumentGuard
{
    private static readonly string[] ForbiddenTerms = ["catboost", "xgboost", "system_id", "subset_id", "confidence_score", "composite_score", "prediction_id"];

    public static void Check(string documentName, ReadOnlySpan<byte> utf8, IReadOnlySet<string> allowedKeys, IEnumerable<string> internalIds)
    {
        var ids = internalIds.Select(Normalise).Where(i => i.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var reader = new Utf8JsonReader(utf8);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && !allowedKeys.Contains(reader.GetString()!))
            {
                throw new ContractViolationException($"{documentName}: key '{reader.GetString()}' is not part of the public document");
            }
            if (reader.TokenType == JsonTokenType.String && Leaked(reader.GetString()!, ids) is { } leaked)
            {
                throw new ContractViolationException($"{documentName}: value '{reader.GetString()}' carries the internal identifier '{leaked}'");
            }
        }
    }

    /// <summary>The forbidden term or internal identifier <paramref name="value"/> carries, or null.</summary>
    public static string? Leaked(string value, IReadOnlyList<string> normalisedIds)
    {
        var text = Normalise(value);
        return ForbiddenTerms.FirstOrDefault(t => text.Contains(t, StringComparison.Ordinal))
            ?? normalisedIds.FirstOrDefault(id => LooksLikeIdentifier(id) ? ContainsAsIdentifier(text, id) : text == id);
    }

    /// <summary>NFKC, without format characters (Unicode category Cf), lower case.</summary>
    public static string Normalise(string value)
    {
        var composed = value.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(composed.Length);
        foreach (var c in composed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }
        return builder.ToString().Trim();
    }

    private static bool LooksLikeIdentifier(string id) => id.Length >= 4 && id.Any(c => c is '_' or '-' || char.IsDigit(c));

    private static bool ContainsAsIdentifier(string text, string id)
    {
        for (var at = text.IndexOf(id, StringComparison.Ordinal); at >= 0; at = text.IndexOf(id, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
            var end = at + id.Length;
            var after = end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (before && after)
            {
                return true;
            }
        }
        return false;
    }
}
