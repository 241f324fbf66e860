using System.Text;
using Google.Protobuf;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;

namespace ExportFlows.Worker.Client;

/// <summary>A message as its publisher wrote it: read as strict UTF-8, and sent to a workflow as those bytes, never re-serialised.</summary>
public static class PublishedBytes
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>The bytes without a UTF-8 byte order mark.</summary>
    public static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> utf8) => utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    /// <summary>The text, or null when the bytes are not UTF-8.</summary>
    public static string? Text(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>A signal argument holding the bytes as a <c>json/plain</c> payload.</summary>
    public static RawValue Payload(byte[] utf8) => new(new Payload
    {
        Metadata = { ["encoding"] = ByteString.CopyFromUtf8("json/plain") },
        Data = ByteString.CopyFrom(utf8),
    });
}
