using System.Buffers;
using System.Globalization;
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
/// Checks a document before it is written: every key must be on the document's allow-list and no string may contain
/// an internal identifier (model id, subset ids) or a forbidden term. A failure is a contract violation, not retried.
/// </summary>
public static class PublicDocumentGuard
{
    private static readonly string[] ForbiddenTerms = ["catboost", "xgboost", "system_id", "subset_id", "confidence_score", "composite_score", "prediction_id"];

    public static void Check(string documentName, ReadOnlySpan<byte> utf8, IReadOnlySet<string> allowedKeys, IEnumerable<string> internalIds)
    {
        var ids = internalIds.Where(i => !string.IsNullOrWhiteSpace(i)).Concat(ForbiddenTerms).Distinct().ToList();
        var reader = new Utf8JsonReader(utf8);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && !allowedKeys.Contains(reader.GetString()!))
            {
                throw new ContractViolationException($"{documentName}: key '{reader.GetString()}' is not part of the public document");
            }
            if (reader.TokenType == JsonTokenType.String)
            {
                var value = reader.GetString()!;
                var leaked = ids.FirstOrDefault(id => value.Contains(id, StringComparison.OrdinalIgnoreCase));
                if (leaked is not null)
                {
                    throw new ContractViolationException($"{documentName}: value '{value}' contains the internal identifier '{leaked}'");
                }
            }
        }
    }
}
