using System.Text.Json;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Converters;

namespace ExportFlows.Worker.Client;

/// <summary>
/// A Phase 5 message validated by <see cref="PredictionsCompleteMessage.Parse(string)"/>, with the UTF-8 bytes it was
/// published as. The workflow receives those bytes unchanged (a <c>json/plain</c> payload), so every field, escape and
/// number reads the same whether the message came from <c>trigger</c>, the push endpoint or a client in another language.
/// </summary>
public sealed class PublishedPredictionsComplete
{
    private PublishedPredictionsComplete(PredictionsCompleteMessage message, byte[] utf8) => (Message, Utf8) = (message, utf8);

    public PredictionsCompleteMessage Message { get; }

    /// <summary>The message JSON as published (a push body around it is unwrapped; a UTF-8 byte order mark dropped).</summary>
    public byte[] Utf8 { get; }

    /// <exception cref="InvalidExportRequestException">Not UTF-8, or not a valid message.</exception>
    public static PublishedPredictionsComplete Parse(ReadOnlySpan<byte> utf8)
    {
        utf8 = PublishedBytes.WithoutBom(utf8);
        var text = PublishedBytes.Text(utf8) ?? throw new InvalidExportRequestException("malformed predictions-complete message: not UTF-8 text");
        var message = PredictionsCompleteMessage.Parse(text);
        return PushData(utf8) is { } inner ? Parse(inner) : new PublishedPredictionsComplete(message, utf8.ToArray());
    }

    /// <summary>The signal argument: the published bytes as a JSON payload, not re-serialised.</summary>
    public RawValue ToPayload() => PublishedBytes.Payload(Utf8);

    /// <summary>The decoded <c>message.data</c> of a Pub/Sub push body (the parser accepted it, so it is base64), else null.</summary>
    private static byte[]? PushData(ReadOnlySpan<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8.ToArray());
        return PubSubPushBody.Data(document.RootElement) is { } data ? Convert.FromBase64String(data) : null;
    }
}
