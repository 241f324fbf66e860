using System.Globalization;
using System.Text.RegularExpressions;
using ExportFlows.Activities;
using ExportFlows.Activities.Sample;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Benchmarks;

/// <summary>
/// One simulated game day of the shipped schedule on BigQuery (the in-test BigQuery server executing the real queries
/// on the sample season): subset-definitions at 5 AM ET, subset-performance hourly 6 AM–11 PM and at 2 AM, the input
/// tables changing only when games are graded. Three worlds run every export at the same simulated instants on the
/// same tables: "skip" (SkipWhenInputsUnchanged) and "recompute" (every run rebuilds), each without BigQuery's result
/// cache (best effort; never used for tables with a streaming buffer) and with it (an identical query over unchanged
/// tables answered from the cache, nothing billed). It counts queries, bytes processed and billed, and checks after
/// every run that the published documents of all four are identical apart from generated_at.
/// </summary>
public static class GameDay
{
    private static readonly DateOnly Day = new(2026, 2, 10);

    private sealed record Change(DateTimeOffset At, string Table, int GradingWave);

    private sealed record Scenario(string Name, IReadOnlyList<Change> Changes);

    private sealed record Run(DateTimeOffset At, string Type);

    private sealed class SimulatedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed record World(string Name, bool Skip, FakeBigQueryServer Server, ServiceProvider Services, SimulatedClock Clock, string Store)
    {
        public Dictionary<string, List<ExportedObject>> Results { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>An instant given in America/New_York.</summary>
    private static DateTimeOffset Et(DateOnly day, int hour, int minute = 0)
    {
        var local = day.ToDateTime(new TimeOnly(hour, minute));
        return new DateTimeOffset(local, ExportDates.Eastern.GetUtcOffset(local));
    }

    public static async Task<int> RunAsync(string? workFolder)
    {
        var work = workFolder ?? Path.Combine(Path.GetTempPath(), "exportflows-game-day");
        var sample = Path.Combine(work, "sample");
        if (!File.Exists(Path.Combine(sample, "nba_predictions.player_prop_predictions.csv")))
        {
            SampleDataGenerator.Generate(sample, SampleDataOptions.Default);
        }
        var summary = WarehouseTable.PlayerGameSummary.QualifiedName;
        var gradings = new[] { new Change(Et(Day, 22, 40), summary, 1), new Change(Et(Day.AddDays(1), 1, 30), summary, 2) };
        var predictionsLand = new[] { Et(Day, 11), Et(Day, 13, 5), Et(Day, 17, 10) }.Select(at => new Change(at, WarehouseTable.Predictions.QualifiedName, 0));
        Scenario[] scenarios =
        [
            new("grading twice (10:40 PM and 1:30 AM ET), no other change: the issue's day", gradings),
            new("grading twice, and predictions landing at 11:00 AM, 1:05 PM and 5:10 PM ET", [.. gradings, .. predictionsLand]),
        ];
        var failed = false;
        for (var i = 0; i < scenarios.Length; i++)
        {
            failed |= !await RunScenarioAsync(Path.Combine(work, $"scenario-{i + 1}"), sample, scenarios[i]);
        }
        return failed ? 1 : 0;
    }

    private static async Task<bool> RunScenarioAsync(string folder, string sample, Scenario scenario)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        var warehouse = Path.Combine(folder, "warehouse");
        Directory.CreateDirectory(warehouse);
        foreach (var file in Directory.GetFiles(sample, "*.csv"))
        {
            File.Copy(file, Path.Combine(warehouse, Path.GetFileName(file)));
        }
        var waves = HoldOutResults(warehouse);
        // Before the day: everything as of the previous day; the results of the night before graded at 1:30 AM.
        foreach (var table in WarehouseTable.All)
        {
            Touch(warehouse, table.QualifiedName, Et(Day.AddDays(-1), 14));
        }
        Touch(warehouse, WarehouseTable.SubsetDefinitions.QualifiedName, Et(new DateOnly(2026, 1, 15), 9));
        Touch(warehouse, WarehouseTable.PlayerGameSummary.QualifiedName, Et(Day, 1, 30));

        using var backend = new DuckDbWarehouse(warehouse, NullLogger<DuckDbWarehouse>.Instance);
        var worlds = new List<World>();
        foreach (var (name, skip, cache) in new[] { ("skip", true, false), ("recompute", false, false), ("skip, cache", true, true), ("recompute, cache", false, true) })
        {
            worlds.Add(await WorldAsync(name, skip, cache, backend, Path.Combine(folder, name.Replace(", ", "-", StringComparison.Ordinal))));
        }
        try
        {
            // What the day starts from: definitions of the previous morning, performance of this night's 2 AM run.
            await RunEverywhereAsync(worlds, new Run(Et(Day.AddDays(-1), 5), "subset-definitions"), count: false);
            await RunEverywhereAsync(worlds, new Run(Et(Day, 2), "subset-performance"), count: false);

            var runs = Enumerable.Range(6, 18).Select(h => new Run(Et(Day, h), "subset-performance"))
                .Append(new Run(Et(Day, 5), "subset-definitions"))
                .Append(new Run(Et(Day.AddDays(1), 2), "subset-performance"))
                .OrderBy(r => r.At).ToList();
            var changes = scenario.Changes.OrderBy(c => c.At).ToList();
            var identical = 0;
            var differing = new List<string>();
            foreach (var run in runs)
            {
                foreach (var change in changes.Where(c => c.At < run.At).ToList())
                {
                    Apply(warehouse, change, waves);
                    changes.Remove(change);
                }
                await RunEverywhereAsync(worlds, run, count: true);
                if (SameDocuments(worlds, run.Type))
                {
                    identical++;
                }
                else
                {
                    differing.Add($"{Time(run.At)} {run.Type}");
                }
            }
            Print(scenario, worlds, runs, identical, differing);
            return differing.Count == 0;
        }
        finally
        {
            foreach (var world in worlds)
            {
                await world.Services.DisposeAsync();
                await world.Server.DisposeAsync();
            }
        }
    }

    /// <summary>The results of the simulated day (player_game_summary rows of its date), taken out to be graded in two waves.</summary>
    private static List<string>[] HoldOutResults(string warehouse)
    {
        var path = Path.Combine(warehouse, WarehouseTable.PlayerGameSummary.QualifiedName + ".csv");
        var lines = File.ReadAllLines(path);
        var dateColumn = Array.IndexOf(lines[0].Split(','), "game_date");
        var day = ExportDates.ToText(Day);
        var results = lines.Skip(1).Where(l => l.Split(',')[dateColumn] == day).ToList();
        File.WriteAllLines(path, lines.Where(l => !results.Contains(l)));
        return [[], results[..(results.Count / 2)], results[(results.Count / 2)..]];
    }

    private static void Apply(string warehouse, Change change, List<string>[] waves)
    {
        if (change.GradingWave > 0)
        {
            File.AppendAllLines(Path.Combine(warehouse, change.Table + ".csv"), waves[change.GradingWave]);
        }
        Touch(warehouse, change.Table, change.At);
    }

    private static void Touch(string warehouse, string table, DateTimeOffset at) =>
        File.SetLastWriteTimeUtc(Path.Combine(warehouse, table + ".csv"), at.UtcDateTime);

    private static async Task<World> WorldAsync(string name, bool skip, bool cache, DuckDbWarehouse backend, string store)
    {
        var server = new FakeBigQueryServer { Backend = backend, QueryCache = cache };
        await server.StartAsync();
        var clock = new SimulatedClock();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(clock);
        services.AddExportFlows(new ExportFlowsOptions { Warehouse = "bigquery:game-day", BigQueryEndpoint = server.BaseUri.ToString(), Store = "dir:" + store });
        return new World(name, skip, server, services.BuildServiceProvider(), clock, store);
    }

    private static async Task RunEverywhereAsync(IEnumerable<World> worlds, Run run, bool count)
    {
        foreach (var world in worlds)
        {
            world.Clock.Now = run.At;
            var asOf = run.Type == "subset-performance" ? ExportDates.EasternDate(run.At) : (DateOnly?)null;
            var job = new ExportJob(run.Type, null, asOf, run.At) { SkipWhenInputsUnchanged = world.Skip };
            var result = await world.Services.GetRequiredService<ExportActivities>().RunAsync(ExportCatalog.Shipped.Get(run.Type), job, 1, CancellationToken.None);
            if (count)
            {
                (world.Results.TryGetValue(run.Type, out var list) ? list : world.Results[run.Type] = []).Add(result);
            }
        }
    }

    private static bool SameDocuments(IReadOnlyList<World> worlds, string type)
    {
        var name = type == "subset-performance" ? "v1/subsets/performance.json" : "v1/systems/subsets.json";
        return worlds.Select(w => Regex.Replace(File.ReadAllText(Path.Combine(w.Store, name)), "\"generated_at\": \"[^\"]*\"", "\"generated_at\": \"…\""))
            .Distinct(StringComparer.Ordinal).Count() == 1;
    }

    private static string Fewer(long some, long all) => all == 0 ? "0 %" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * (all - some) / all:0.0} %");

    private static string Time(DateTimeOffset at) => ExportDates.EasternDateTime(at).ToString("ddd HH:mm", CultureInfo.InvariantCulture);

    private static string Mib(long? bytes) => bytes is { } b ? (b / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB" : "-";

    private static void Print(Scenario scenario, IReadOnlyList<World> worlds, IReadOnlyList<Run> runs, int identical, IReadOnlyList<string> differing)
    {
        Console.WriteLine($"### {scenario.Name}");
        Console.WriteLine();
        Console.WriteLine($"| run (ET) | type | {string.Join(" | ", worlds.Select(w => w.Name))} |");
        Console.WriteLine($"|---|---|{string.Concat(worlds.Select(_ => "---|"))}");
        var index = runs.ToDictionary(r => r, r => runs.Where(o => o.Type == r.Type).ToList().IndexOf(r));
        foreach (var run in runs)
        {
            var cells = worlds.Select(w => w.Results[run.Type][index[run]]).Select(r =>
                r.SkippedReason is null ? $"built, {r.Cost!.Queries} q" : $"skipped, {r.Cost!.Queries} q");
            Console.WriteLine($"| {Time(run.At)} | {run.Type} | {string.Join(" | ", cells)} |");
        }
        Console.WriteLine();
        Console.WriteLine("| world | type | builds (= uploads) | queries | bytes processed | bytes billed | cache hits |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var world in worlds)
        {
            foreach (var (type, results) in world.Results.OrderByDescending(r => r.Key, StringComparer.Ordinal))
            {
                var cost = ExportCost.Sum(results.Select(r => r.Cost))!;
                var builds = results.Count(r => r.SkippedReason is null);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {world.Name} | {type} | {builds} of {results.Count} | {cost.Queries} | {Mib(cost.BytesProcessed)} | {Mib(cost.BytesBilled)} | {cost.CacheHits ?? 0} |"));
            }
        }
        ExportCost Performance(World world) => ExportCost.Sum(world.Results["subset-performance"].Select(r => r.Cost))!;
        var (skip, all) = (Performance(worlds[0]), Performance(worlds[1]));
        var (skipCached, allCached) = (Performance(worlds[2]), Performance(worlds[3]));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"performance queries: {skip.Queries} with the skip rule against {all.Queries} recomputing every time: {Fewer(skip.Queries, all.Queries)} fewer; " +
            $"bytes processed {Fewer(skip.BytesProcessed!.Value, all.BytesProcessed!.Value)} fewer, billed {Fewer(skip.BytesBilled!.Value, all.BytesBilled!.Value)} fewer " +
            $"(with BigQuery's cache: processed {Fewer(skipCached.BytesProcessed!.Value, allCached.BytesProcessed!.Value)}, billed {Fewer(skipCached.BytesBilled!.Value, allCached.BytesBilled!.Value)} fewer); " +
            $"documents identical apart from generated_at after {identical} of {runs.Count} runs{(differing.Count == 0 ? "" : $" (different: {string.Join(", ", differing)})")}"));
        Console.WriteLine();
    }
}
