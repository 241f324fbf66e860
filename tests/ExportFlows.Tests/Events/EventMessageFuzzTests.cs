using System.Text;
using System.Text.Json;
using ExportFlows.Workflows.Events;

namespace ExportFlows.Tests.Events;

/// <summary>
/// 10,000 seeded messages (wrong types, missing dates, unknown types, huge lists, other sports, push bodies, broken
/// JSON) for every event: each is accepted or refused with a reason naming its field, and nothing else is thrown.
/// </summary>
public sealed class EventMessageFuzzTests
{
    private static readonly string[] Fields =
        ["target_date", "graded_date", "game_date", "export_types", "update_latest", "correlation_id", "trigger_source", "status", "graded_count",
            "ratio", "players", "min_games", "sport", "message", "metadata"];

    [Fact]
    public void Read_TenThousandGeneratedMessages_AcceptedOrRefusedNamingAField()
    {
        var random = new Random(20260210);
        var events = EventMessageReaderTests.Catalog.Events;
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 10_000; i++)
        {
            var json = Message(random);
            var ev = events[random.Next(events.Count)];
            var reading = EventMessageReader.Read(ev, EventMessageReaderTests.Catalog, json, EventMessageReaderTests.Now);
            if (reading.Accepted)
            {
                Assert.Null(reading.Refusal);
                Assert.NotEmpty(reading.Request!.Types);
                Assert.InRange(reading.Request.Date, new DateOnly(2000, 1, 1), new DateOnly(2099, 12, 31));
                Assert.All(EventConditions.Decide(ev, reading.Request), d => Assert.False(string.IsNullOrEmpty(d.Reason)));
            }
            else
            {
                var refusal = reading.Refusal!;
                Assert.False(string.IsNullOrWhiteSpace(refusal.Field), json);
                Assert.Contains(refusal.Field, refusal.Reason, StringComparison.Ordinal);
            }
            var key = reading.Accepted ? "accepted" : reading.Refusal!.Field;
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }
        // The generator reaches both outcomes and refusals of many fields, or it tests little.
        Assert.True(outcomes.GetValueOrDefault("accepted") > 500, string.Join(", ", outcomes));
        Assert.True(outcomes.Count >= 8, string.Join(", ", outcomes));
    }

    /// <summary>A generated message; <paramref name="types"/> are the names its type lists draw from (besides unknown ones).</summary>
    internal static string Message(Random random, IReadOnlyList<string>? types = null)
    {
        types ??= TestTypes;
        switch (random.Next(20))
        {
            case 0:
                return Garbage(random);
            case 1:
                var inner = Message(random, types);
                var data = random.Next(4) == 0 ? "%%%" : Convert.ToBase64String(Encoding.UTF8.GetBytes(inner));
                return JsonSerializer.Serialize(new { message = new { data, messageId = "m" } });
            default:
                var fields = new Dictionary<string, object?>();
                foreach (var name in Fields.Where(_ => random.Next(3) > 0))
                {
                    fields[name] = Value(random, name, types);
                }
                return JsonSerializer.Serialize(fields);
        }
    }

    private static readonly string[] TestTypes = ["picks", "scores", "all", "best-bets"];

    private static object? Value(Random random, string name, IReadOnlyList<string> types)
    {
        var wrong = random.Next(6) == 0;
        return (name, wrong ? random.Next(7) : -1) switch
        {
            (_, 0) => null,
            (_, 1) => random.Next(),
            (_, 2) => "x" + random.Next(),
            (_, 3) => new[] { 1, 2 },
            (_, 4) => new { nested = true },
            (_, 5) => 1.5,
            (_, 6) => random.Next(2) == 0,
            ("target_date" or "graded_date" or "game_date", _) => Pick(random, "today", "yesterday", "2026-02-08", "2099-12-31", "1999-01-01", "2026-02-30", "TODAY"),
            ("export_types", _) => random.Next(10) == 0
                ? Enumerable.Repeat(types[0], random.Next(50, 5000)).ToArray()
                : Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(4) == 0 ? Pick(random, "nope", "") : types[random.Next(types.Count)]).ToArray(),
            ("update_latest" or "players", _) => random.Next(4) > 0,
            ("status", _) => Pick(random, "success", "partial", "failed", ""),
            ("graded_count" or "min_games", _) => Pick<object>(random, 0, 5, 40, -1, 500, long.MaxValue),
            ("ratio", _) => random.NextDouble(),
            ("sport", _) => Pick(random, "nba", "mlb", "NBA", ""),
            _ => "v" + random.Next(100),
        };
    }

    private static string Garbage(Random random) => random.Next(5) switch
    {
        0 => "",
        1 => "[]",
        2 => "{\"target_date\": \"\\ud800\"}",
        3 => new string('{', random.Next(1, 200)),
        _ => "\"" + new string('a', random.Next(70_000)) + "\"",
    };

    private static T Pick<T>(Random random, params T[] items) => items[random.Next(items.Length)];
}
