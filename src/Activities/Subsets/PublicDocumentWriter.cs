using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Activities.Subsets;

/// <summary>
/// Writes public JSON with a fixed format: two-space indentation, LF line ends, UTF-8 without BOM and without
/// escaping non-ASCII, rounded numbers with exactly one decimal, timestamps with six fractional digits. Strings from
/// data go through <see cref="WriteString"/>, which refuses a value outside its field's shape.
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

    private readonly string _document;

    /// <param name="document">The object name, for error messages.</param>
    public PublicDocumentWriter(string document)
    {
        _document = document;
        Json = new Utf8JsonWriter(_buffer, Options);
    }

    public Utf8JsonWriter Json { get; }

    /// <summary>Writes <paramref name="value"/> if it fits <paramref name="shape"/>, else throws a <see cref="ContractViolationException"/> naming <paramref name="row"/>.</summary>
    public void WriteString(string name, string value, PublicFieldShape shape, string row)
    {
        PublicFieldShapes.Require(_document, name, value, shape, row);
        Json.WriteString(name, value);
    }

    public void WriteRounded(string name, decimal value)
    {
        Json.WritePropertyName(name);
        Json.WriteRawValue(PublicRounding.Round1(value).ToString("0.0", CultureInfo.InvariantCulture), skipInputValidation: true);
    }

    public void WriteDate(string name, DateOnly date) => Json.WriteString(name, ExportDates.ToText(date));

    public void WriteGeneratedAt(DateTimeOffset generatedAt) => Json.WriteString("generated_at", ExportDates.ToTimestamp(generatedAt));

    public byte[] ToArray()
    {
        Json.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    public void Dispose() => Json.Dispose();
}
