using System.Text;
using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.PubSub;

/// <summary>
/// Seeded generators of hostile push requests: envelopes and OIDC tokens built as JSON text (so they can hold what no
/// serializer writes: lone surrogate escapes, duplicate keys, numbers no type holds), then sometimes damaged byte-wise.
/// </summary>
public sealed class PushFuzz(int seed, FakeGoogleOidc google, DateTimeOffset now)
{
    private readonly Random _random = new(seed);

    private static readonly string[] HostileStrings =
    [
        "\"\\ud800\"", "\"\\udfff\"", "\"a\\ud800b\"", "\"\\udc00\\ud800\"", "\"\\ud83c\\udfc0\"", "\"\\u0000\"", "\"\\u001f\"", "\"\"", "\" \"",
        "\"caf\u00e9\"", "\"\u202e\"", "\"" + new string('x', 300) + "\"", "\"\\\\\"", "\"\\/\"", "\"1234567890\"",
    ];

    private static readonly string[] HostileValues =
    [
        "null", "true", "false", "0", "-0", "1e400", "-1e400", "9223372036854775808", "1000000000000000000", "1.5", "[]", "{}", "[null]",
        "{\"a\": \"\\ud800\"}", "[[[[[[[[[[]]]]]]]]]]", "\"\\ud800\"",
    ];

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private bool Chance(double p) => _random.NextDouble() < p;

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private string Phase5Message()
    {
        var date = Pick(new[] { "\"2026-02-03\"", "\"2026-02-30\"", "\"\\ud800\"", "20260203", "null", "\"1999-12-31\"" });
        var completion = Pick(new[] { "100.0", "100", "79.9", "1e400", "-1", "\"100\"", "null", "79228162514264337593543950336" });
        var status = Pick(new[] { "\"success\"", "\"partial\"", "\"failed\"", "\"\\udfff\"", "1" });
        var extra = Chance(0.3) ? $", {Pick(HostileStrings)}: {Pick(HostileValues)}" : "";
        return $"{{\"game_date\": {date}, \"status\": {status}, \"correlation_id\": {Pick(HostileStrings)}, \"record_count\": {Pick(HostileValues)}, " +
            $"\"metadata\": {{\"completion_pct\": {completion}}}{extra}}}";
    }

    private string Data() => _random.Next(7) switch
    {
        0 => $"\"{Base64(PubSubPushEndpointTests.Phase5Message())}\"",
        1 => $"\"{Base64(Phase5Message())}\"",
        2 => $"\"{Convert.ToBase64String([.. Encoding.UTF8.GetBytes("{\"game_date\": \"2026-02-03\", \"x\": \""), 0xC0, 0xFF, 0x80, .. "\"}"u8])}\"",
        3 => "\"@@not-base64@@\"",
        4 => $"\"{Base64(new string('[', 200))}\"",
        5 => Pick(HostileStrings),
        _ => Pick(HostileValues),
    };

    private string Field(string good) => _random.Next(12) switch
    {
        < 9 => good,
        < 11 => Pick(HostileStrings),
        _ => Pick(HostileValues),
    };

    /// <summary>A push body: fields good, hostile or missing, sometimes extra fields, duplicate keys, or damaged bytes.</summary>
    public byte[] Envelope()
    {
        var message = new List<string>();
        void Add(string name, string value)
        {
            if (!Chance(0.05))
            {
                message.Add($"\"{name}\": {value}");
            }
        }
        Add("data", Chance(0.5) ? $"\"{Base64(PubSubPushEndpointTests.Phase5Message())}\"" : Data());
        Add("messageId", Field($"\"{_random.NextInt64(1, long.MaxValue)}\""));
        Add("publishTime", Field("\"2026-02-03T12:31:08.123Z\""));
        Add("attributes", _random.Next(6) switch
        {
            < 3 => "{\"source\": \"phase5\"}",
            3 => $"{{{Pick(HostileStrings)}: {Pick(HostileStrings)}}}",
            4 => $"{{\"n\": {Pick(HostileValues)}}}",
            _ => Pick(HostileValues),
        });
        if (Chance(0.2))
        {
            message.Add($"{Pick(HostileStrings)}: {Pick(HostileValues)}");
        }
        var root = new List<string> { $"\"message\": {(Chance(0.9) ? "{" + string.Join(", ", message) + "}" : Pick(HostileValues))}" };
        if (!Chance(0.1))
        {
            root.Add($"\"subscription\": {Field("\"projects/nba-props-platform/subscriptions/phase6-exportflows-push\"")}");
        }
        if (Chance(0.1))
        {
            root.Add($"\"message\": {Pick(HostileValues)}");
        }
        var bytes = Encoding.UTF8.GetBytes("{" + string.Join(", ", root.OrderBy(_ => _random.Next())) + "}");
        return Chance(0.15) ? Damage(bytes) : bytes;
    }

    private byte[] Damage(byte[] bytes)
    {
        var damaged = bytes.ToList();
        var at = _random.Next(damaged.Count);
        switch (_random.Next(5))
        {
            case 0:
                return [.. damaged.Take(at)];
            case 1:
                damaged[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 2:
                damaged.Insert(at, Pick(new byte[] { 0x80, 0xC0, 0xFF, 0xED, 0x00, (byte)'"', (byte)'\\' }));
                break;
            case 3:
                damaged.InsertRange(0, [0xEF, 0xBB, 0xBF]);
                break;
            default:
                damaged.InsertRange(0, Encoding.ASCII.GetBytes(new string('[', 70)));
                break;
        }
        return [.. damaged];
    }

    /// <summary>An <c>Authorization</c> header value: a token with hostile header and claims, signed, mis-signed or damaged.</summary>
    public string Authorization()
    {
        var header = new List<string>();
        if (!Chance(0.1))
        {
            header.Add($"\"alg\": {(Chance(0.8) ? "\"RS256\"" : Pick(new[] { "\"none\"", "\"HS256\"", "\"\\ud800\"", "1", "null" }))}");
        }
        if (!Chance(0.1))
        {
            header.Add($"\"kid\": {(Chance(0.7) ? $"\"{FakeGoogleOidc.KeyId}\"" : Pick(HostileStrings.Concat(HostileValues).ToList()))}");
        }
        var claims = new Dictionary<string, string?>();
        void Claim(string name, string good, params string[] bad)
        {
            claims[name] = _random.Next(10) switch
            {
                < 6 => good,
                6 => null,
                7 => Pick(HostileStrings),
                8 => Pick(HostileValues),
                _ => bad.Length > 0 ? Pick(bad) : good,
            };
        }
        Claim("iss", "\"https://accounts.google.com\"", "\"https://evil.example.com\"", "\"accounts.google.com\"");
        Claim("aud", $"\"{FakeGoogleOidc.Audience}\"", $"[\"{FakeGoogleOidc.Audience}\", 1]", "[\"\\udfff\"]");
        Claim("email", $"\"{FakeGoogleOidc.ServiceAccount}\"", "\"intruder@x.iam.gserviceaccount.com\"");
        Claim("email_verified", "true", "\"true\"", "\"yes\"");
        Claim("exp", (now + TimeSpan.FromHours(1)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "1000000000000000000", "253402300799", "253402300800", "-62135596801", "1e18", "1.7e9");
        Claim("iat", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), "1000000000000000000", "-1");
        var headerJson = Chance(0.05) ? Pick(HostileValues) : "{" + string.Join(", ", header) + "}";
        var claimsJson = Chance(0.05) ? Pick(HostileValues) : FakeGoogleOidc.ClaimsJson(now, claims);
        var token = _random.Next(10) switch
        {
            < 7 => google.Sign(headerJson, claimsJson),
            7 => google.Sign(headerJson, claimsJson)[..^4] + "AAAA",
            8 => string.Join('.', google.Sign(headerJson, claimsJson).Split('.').Take(2)) + "." + Pick(new[] { "", "@@", "====", "a", new string('A', 700) }),
            _ => Pick(new[] { "a.b.c", "...", "a.b", "a.b.c.d", "e30.e30.", "!!!.###.$$$", "e30=.e30=.AA==" }),
        };
        return _random.Next(12) switch
        {
            0 => token,
            1 => "Basic " + token,
            2 => "Bearer",
            3 => "bearer   " + token + "  ",
            _ => "Bearer " + token,
        };
    }

    /// <summary>A Content-Type header value: mostly JSON, sometimes a near miss.</summary>
    public string ContentType() => _random.Next(10) switch
    {
        < 6 => "application/json",
        6 => "application/json; charset=utf-8",
        _ => Pick(new[] { "application/jsonx", "application/json; charset=latin1", "text/plain", "application/json;", "application/*", "json", "application/json; charset=\"\"" }),
    };
}
