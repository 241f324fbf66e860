using System.Text;
using System.Text.Json.Nodes;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Orchestration;

/// <summary>
/// Generated messages (seeded, so a failure reproduces) through the parser that both <c>trigger</c> and the tonight
/// workflow use: every one is either accepted or refused with <see cref="InvalidExportRequestException"/>, never
/// another exception.
/// </summary>
public sealed class PredictionsCompleteFuzzTests
{
    private const int Cases = 10_000;

    private static readonly string[] Keys = ["game_date", "status", "correlation_id", "execution_id", "timestamp", "record_count", "records_failed", "metadata", "message", "data"];

    private const string Noise = "{}[]\",:\\u0 9aé\ud800";

    private static readonly string[] MetadataKeys = ["completion_pct", "completion_percentage", "completed_predictions", "total_predictions", "batch_id"];

    [Fact]
    public void Parse_TenThousandGeneratedMessages_OnlyAcceptedOrRefusedWithReason()
    {
        var random = new Random(20260203);
        var example = File.ReadAllText(RepositoryFiles.PathOf("examples", "predictions-complete.json"));
        var (accepted, refused) = (0, 0);
        for (var i = 0; i < Cases; i++)
        {
            var text = Generate(random, example);
            try
            {
                PredictionsCompleteMessage.Parse(text);
                accepted++;
            }
            catch (InvalidExportRequestException ex)
            {
                Assert.StartsWith("malformed predictions-complete message: ", ex.Message, StringComparison.Ordinal);
                refused++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"case {i} threw {ex.GetType().Name}: {ex.Message}\n{(text.Length > 500 ? text[..500] : text)}");
            }
        }
        // Both outcomes must be reached, or the generator tests nothing.
        Assert.True(accepted > 500 && refused > 500, $"accepted {accepted}, refused {refused}");
    }

    private static string Generate(Random random, string example)
    {
        switch (random.Next(6))
        {
            case 0:
                return MutateText(random, example);
            case 1:
                var envelope = new JsonObject { ["message"] = new JsonObject { ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(MutateText(random, example))) } };
                return envelope.ToJsonString();
            default:
                var node = JsonNode.Parse(example)!.AsObject();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    var target = random.Next(3) == 0 && node["metadata"] is JsonObject metadata ? metadata : node;
                    var keys = target == node ? Keys : MetadataKeys;
                    target[keys[random.Next(keys.Length)]] = RandomValue(random);
                }
                return node.ToJsonString();
        }
    }

    private static JsonNode? RandomValue(Random random) => random.Next(12) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(-5, 200)),
        2 => JsonValue.Create(random.NextDouble() * 300 - 50),
        3 => JsonValue.Create("2026-02-" + random.Next(0, 40).ToString("00", System.Globalization.CultureInfo.InvariantCulture)),
        4 => JsonValue.Create(random.Next(2) == 0 ? "success" : "partial"),
        5 => JsonValue.Create(new string((char)random.Next(0xD800, 0xDFFF), 1)),
        6 => new JsonArray(JsonValue.Create(1), JsonValue.Create("x")),
        7 => new JsonObject { ["completion_pct"] = JsonValue.Create(random.Next(0, 101)) },
        8 => JsonValue.Create(random.Next(2) == 0),
        9 => JsonValue.Create(decimal.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) + "9"),
        10 => JsonValue.Create(1e300),
        _ => JsonValue.Create(new string('x', random.Next(0, 2000))),
    };

    private static string MutateText(Random random, string text)
    {
        var chars = text.ToCharArray();
        for (var n = random.Next(1, 6); n > 0; n--)
        {
            chars[random.Next(chars.Length)] = Noise[random.Next(Noise.Length)];
        }
        return random.Next(4) == 0 ? new string(chars, 0, random.Next(chars.Length)) : new string(chars);
    }
}
