using ExportFlows.Tests.Support;
using ExportFlows.Worker.Cli;

namespace ExportFlows.Tests.Cli;

/// <summary>
/// Generated command lines (seeded, so a failure reproduces) of bad and odd arguments, run in process: each ends with a
/// documented exit code, never an internal error, and a failed command writes no document.
/// </summary>
public sealed class CliFuzzTests
{
    private const int Cases = 300;

    private static readonly string[] Options =
        ["--date", "--as-of", "--types", "--from", "--to", "--now", "--message", "--concurrency", "--days", "--seed",
         "--warehouse", "--store", "--temporal", "--task-queue", "--note", "--json", "--force", "--allow-empty", "--wait", "-v", "--nope"];

    private static readonly string[] Values =
        ["2026-02-03", "2026-13-01", "0001-01-01", "9999-12-31", "today", "yesterday", "tomorrow", "", " ", "../x", "/proc/x/y",
         "subset-all", "subset-picks,daily-signals", "results", "nope", "-1", "0", "65", "2147483648", "1e9", "NaN",
         "\u200Bsubset-picks", "\ud800", "dir:", "gcs:..", "gcs:Bad", "bigquery:..", "duckdb:/nonexistent", "127.0.0.1:1", "not-a-host:x",
         "2026-02-03T25:00:00Z", "phase6-hourly-performance", new string('x', 3000), "--date", "-", "\"quoted\"", "ü", "%s%n"];

    /// <summary>A valid command line per verb; each case mutates one.</summary>
    private static string[][] Bases(string folder) =>
    [
        ["export", "--in-process", "--date", "2026-01-20", "--types", "daily-signals"],
        ["backfill", "--in-process", "--from", "2026-01-20", "--to", "2026-01-21", "--types", "daily-signals", "--journal", Path.Combine(folder, "journal.jsonl")],
        ["status", "--date", "2026-01-20"],
        ["trigger", "predictions-complete", "--message", RepositoryFiles.PathOf("examples", "predictions-complete.json")],
        ["sample-data", "--out", Path.Combine(folder, "sample"), "--days", "1"],
        ["schedules", "sync", "--dry-run"],
        ["schedules", "pause", "phase6-hourly-performance", "--note", "x"],
        ["setup"],
        ["worker"],
        ["bogus"],
    ];

    [Fact]
    public async Task RunAsync_GeneratedBadCommandLines_OnlyDocumentedExitCodesAndNoWrites()
    {
        var random = new Random(2026_02_03);
        using var temp = new TempFolder();
        var codes = new Dictionary<int, int>();
        for (var i = 0; i < Cases; i++)
        {
            var output = Path.Combine(temp.Path, $"case{i}");
            var bases = Bases(output);
            var args = new List<string>(bases[random.Next(bases.Length)]);
            for (var n = random.Next(0, 3); n > 0; n--)
            {
                switch (random.Next(3))
                {
                    case 0 when args.Count > 1:
                        args[random.Next(1, args.Count)] = Values[random.Next(Values.Length)];
                        break;
                    case 1 when args.Count > 1:
                        args.RemoveAt(random.Next(1, args.Count));
                        break;
                    default:
                        args.Add(Options[random.Next(Options.Length)]);
                        args.Add(Values[random.Next(Values.Length)]);
                        break;
                }
            }
            // Never the developer's folders or network: a store of the case's own, the test warehouse, no reachable Temporal.
            if (!args.Contains("--store"))
            {
                args.AddRange(["--store", "dir:" + output]);
            }
            if (!args.Contains("--warehouse"))
            {
                args.AddRange(["--warehouse", "duckdb:" + ExportHarness.SampleWarehouse]);
            }
            if (!args.Contains("--temporal"))
            {
                args.AddRange(["--temporal", "127.0.0.1:1"]);
            }

            var result = await CliRunner.RunAsync([.. args], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

            var shown = string.Join(' ', args.Select(a => a.Length > 40 ? a[..40] + "…" : a));
            codes[result.ExitCode] = codes.GetValueOrDefault(result.ExitCode) + 1;
            Assert.True(ExitCodes.All.Contains(result.ExitCode), $"case {i} ({shown}): exit {result.ExitCode}");
            Assert.True(result.ExitCode != ExitCodes.InternalError, $"case {i} ({shown}): {result.Error}");
            if (result.ExitCode != ExitCodes.Success)
            {
                Assert.False(Directory.Exists(output) && Directory.EnumerateFiles(output, "*.json", SearchOption.AllDirectories).Any(),
                    $"case {i} ({shown}) failed but wrote documents");
            }
        }
        // The generator must reach past argument parsing into the verbs, or it tests nothing but the parser.
        Assert.True(codes.ContainsKey(ExitCodes.Success) && codes.Keys.Count(c => c != ExitCodes.InvalidInput) >= 2, "exit codes seen: " + string.Join(", ", codes.Select(c => $"{c.Key}×{c.Value}")));
    }
}
