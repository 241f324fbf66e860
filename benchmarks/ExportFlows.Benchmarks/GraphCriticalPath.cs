using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Activities;
using Temporalio.Client;
using Temporalio.Converters;
using Temporalio.Testing;
using Temporalio.Worker;

namespace ExportFlows.Benchmarks;

/// <summary>
/// A graph adds no wall time beyond its critical path: a chain of three steps (1 s each, passing a version id) beside
/// four independent rows (0.5–2 s), each a stand-in activity of fixed duration. Run by the graph runner in process and,
/// when TEMPORAL_TEST_SERVER_PATH names a Temporal test server, by <see cref="Phase6ExportWorkflow"/> on that server.
/// Reports wall time against the critical path (3 s) and the sum (8 s).
/// </summary>
public static class GraphCriticalPath
{
    private static readonly Dictionary<string, int> Milliseconds = new(StringComparer.Ordinal)
    {
        ["step-a"] = 1000,
        ["step-b"] = 1000,
        ["step-c"] = 1000,
        ["row-one"] = 500,
        ["row-two"] = 1000,
        ["row-three"] = 1500,
        ["row-four"] = 2000,
    };

    private const string Policy = """
        [policies.stand-in]
        start_to_close = "1m"
        schedule_to_close = "5m"
        retry = { initial_interval = "1s", backoff = 2.0, maximum_interval = "1m", maximum_attempts = 1 }

        """;

    private static string Catalog()
    {
        string Step(string name, string? after, bool produces) =>
            $"[types.{name}]\nkind = \"external\"\nstep = true\ndate = \"target\"\npolicy = \"stand-in\"\n" + (after is null ? "" : $"after = [\"{after}\"]\n") +
            $"call = {{ module = \"m\", function = \"f\"{(after is null ? "" : $", kwargs = {{ version_id = {{ value = \"{after}.version_id\" }} }}")} }}\n" +
            (produces ? "values = { version_id = \"result.version_id\" }\n" : "") + "\n";
        string Row(string name) =>
            $"[types.{name}]\nkind = \"external\"\ndate = \"target\"\npolicy = \"stand-in\"\nobjects = [{{ path = \"v1/{name}/{{date}}.json\", cache_control = \"public, max-age=60\" }}]\n" +
            "call = { module = \"m\", function = \"f\" }\n\n";
        return "version = 1\n\n" + Policy + Step("step-a", null, true) + Step("step-b", "step-a", true) + Step("step-c", "step-b", false) +
            string.Concat(new[] { "row-one", "row-two", "row-three", "row-four" }.Select(Row)) + "[publication.models]\n\n[publication.subsets]\n";
    }

    public static async Task<int> RunAsync(int rounds)
    {
        var catalog = ExportCatalogParser.ParseOrThrow(Catalog(), "graph-benchmark.toml");
        var request = new ExportRequest(["step-c", "row-one", "row-two", "row-three", "row-four"], "2026-02-10");
        var plan = ExportPlanner.Plan(catalog, request, DateTimeOffset.UtcNow);
        Console.WriteLine($"rows: {string.Join(", ", plan.Jobs.Select(j => $"{j.Type} {Milliseconds[j.Type]} ms"))}; critical path 3000 ms, sum {Milliseconds.Values.Sum()} ms");
        Console.WriteLine("| round | engine | wall time (ms) | wall / critical path |");
        Console.WriteLine("|---|---|---:|---:|");
        for (var round = 1; round <= rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            var outcomes = await ExportGraph.RunAsync(plan, catalog.Get, (job, _) => StandInAsync(catalog.Get(job.Type)), Task.WhenAll);
            var elapsed = watch.Elapsed;
            if (outcomes.FirstOrDefault(o => o.Status != ExportStatus.Succeeded) is { } failed)
            {
                throw new InvalidOperationException($"{failed.Type}: {failed.Status} {failed.Error}");
            }
            Print(round, "in process", elapsed);
        }
        if (Environment.GetEnvironmentVariable("TEMPORAL_TEST_SERVER_PATH") is not { Length: > 0 } server)
        {
            Console.WriteLine("on a server: skipped (set TEMPORAL_TEST_SERVER_PATH to a Temporal test server)");
            return 0;
        }
        await using var environment = await WorkflowEnvironment.StartTimeSkippingAsync(new() { TestServer = new() { ExistingPath = server } });
        // A client without the time-skipping interceptor: the stand-ins take real time.
        var client = new TemporalClient(environment.Client.Connection, new TemporalClientOptions { Namespace = environment.Client.Options.Namespace });
        await ExportFlows.Worker.Temporal.SearchAttributeRegistration.EnsureAsync(client);
        var queue = $"graph-benchmark-{Guid.NewGuid():N}";
        var activities = new StandIns(new ExportConfiguration([], [.. catalog.TypeNames], ExternalTaskQueue: queue, Catalog: catalog));
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue).AddAllActivities(activities).AddWorkflow<Phase6ExportWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            for (var round = 1; round <= rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                var report = await client.ExecuteWorkflowAsync((Phase6ExportWorkflow wf) => wf.RunAsync(request), new($"graph-benchmark-{Guid.NewGuid():N}", queue));
                if (!report.Succeeded)
                {
                    throw new InvalidOperationException(report.Summary());
                }
                Print(round, "Temporal test server", watch.Elapsed);
            }
        });
        return 0;
    }

    private static void Print(int round, string engine, TimeSpan wall) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {round} | {engine} | {wall.TotalMilliseconds:0} | {wall.TotalMilliseconds / 3000:0.00} |"));

    private static async Task<ExportOutcome> StandInAsync(ExportTypeRow row)
    {
        await Task.Delay(Milliseconds[row.Name]);
        return new ExportOutcome(row.Name, ExportStatus.Succeeded, null, 0, 1, Milliseconds[row.Name] / 1000.0)
        {
            Values = row.Values.Count > 0 ? new Dictionary<string, JsonElement> { ["version_id"] = JsonSerializer.SerializeToElement("v_bench") } : null,
        };
    }

    /// <summary>The configuration local activity and one dynamic activity answering every row after its fixed time.</summary>
    private sealed class StandIns(ExportConfiguration configuration)
    {
        [Activity(ExportActivityNames.GetExportConfiguration)]
        public ExportConfiguration GetConfiguration() => configuration;

        [Activity(Dynamic = true)]
        public async Task<IRawValue> RunAsync(IRawValue[] args)
        {
            var context = ActivityExecutionContext.Current;
            var input = context.PayloadConverter.ToValue<JsonElement>(args[0].Payload);
            var type = input.GetProperty("export_type").GetString()!;
            var row = configuration.Catalog!.Get(type);
            await Task.Delay(Milliseconds[type], context.CancellationToken);
            var objects = row.Objects.Select(o => new { name = o.Name(new DateOnly(2026, 2, 10)), bytes = 1, generation = (string?)null });
            var values = row.Values.Count > 0 ? new Dictionary<string, string> { ["version_id"] = "v_bench" } : null;
            return new RawValue(context.PayloadConverter.ToPayload(new { export_type = type, objects, skipped_reason = (string?)null, values }));
        }
    }
}
