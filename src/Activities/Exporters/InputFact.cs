using System.Security.Cryptography;
using System.Text;

namespace ExportFlows.Activities.Exporters;

/// <summary>
/// One thing besides its tables' data that decides a fixed-path document's bytes: its <paramref name="Name"/> in the
/// stored key, what a reason calls it (<paramref name="Label"/>), and its <paramref name="Value"/> as stored: dates and
/// the build as they are, anything long or internal (paths, names, ids) as a short digest.
/// </summary>
public sealed record InputFact(string Name, string Label, string Value, bool Readable)
{
    /// <summary>Hex digits kept of a digest: 48 bits, so two different inputs share one by chance about once in 2^48.</summary>
    private const int DigestLength = 12;

    /// <summary>A fact kept as it is (a date, the build): a reason can say what it was and what it is.</summary>
    public static InputFact Plain(string name, string label, string value) => new(name, label, value, true);

    /// <summary>A fact kept as a digest of <paramref name="value"/>: compact, and no path or internal id in the store's metadata.</summary>
    public static InputFact Digest(string name, string label, string value) =>
        new(name, label, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..DigestLength], false);
}
