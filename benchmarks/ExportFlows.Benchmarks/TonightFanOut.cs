using System.Diagnostics;
using System.Globalization;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Benchmarks;

/// <summary>
/// The tonight run's fan-out without a server: the orchestrator's seven types planned by the workflow's planner (every
/// type enabled), each run by a stand-in exporter that takes a known time, all started at once and awaited together
/// (the workflow's <c>Workflow.WhenAllAsync</c> over one activity per type, in process as the in-process engine does
/// it), against the original's one-after-another loop. It measures the orchestration shape only: no Temporal server,
/// no activity scheduling latency, no exporter work.
/// </summary>
public static class TonightFanOut
{
    /// <summary>Known times (ms), scaled down from the original's: tonight-players took 400–600 s for 200+ players.</summary>
    public static readonly IReadOnlyDictionary<string, int> StandInMilliseconds = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["tonight"] = 1500,
        ["tonight-players"] = 5000,
        ["predictions"] = 1000,
        ["best-bets"] = 800,
        ["streaks"] = 600,
        ["subset-picks"] = 400,
        ["daily-signals"] = 300,
    };

    public static async Task<int> RunAsync(int rounds)
    {
        // The orchestrator's seven types of the first shipped catalog, whose stand-in times are above (recorded results).
        var catalog = ExportCatalog.Recorded;
        var plan = ExportPlanner.Plan(catalog, new ExportRequest(catalog.Orchestrator, "2026-02-10", Trigger: "orchestrator"),
            DateTimeOffset.UtcNow, enabledTypes: catalog.TypeNames.ToHashSet(StringComparer.Ordinal));
        var sum = plan.Jobs.Sum(j => StandInMilliseconds[j.Type]);
        var slowest = plan.Jobs.Max(j => StandInMilliseconds[j.Type]);
        Console.WriteLine($"types: {string.Join(", ", plan.Jobs.Select(j => j.Type))}; sum {sum} ms, slowest {slowest} ms");
        Console.WriteLine("| round | fan-out (ms) | one after another (ms) |");
        Console.WriteLine("|---|---:|---:|");
        for (var round = 1; round <= rounds; round++)
        {
            var parallel = await TimeAsync(() => Task.WhenAll(plan.Jobs.Select(StandInAsync)));
            var sequential = await TimeAsync(async () =>
            {
                foreach (var job in plan.Jobs)
                {
                    await StandInAsync(job);
                }
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {round} | {parallel:0} | {sequential:0} |"));
        }
        return 0;
    }

    private static async Task StandInAsync(ExportJob job)
    {
        await Task.Yield();
        await Task.Delay(StandInMilliseconds[job.Type]);
    }

    private static async Task<double> TimeAsync(Func<Task> body)
    {
        var watch = Stopwatch.StartNew();
        await body();
        return watch.Elapsed.TotalMilliseconds;
    }
}
