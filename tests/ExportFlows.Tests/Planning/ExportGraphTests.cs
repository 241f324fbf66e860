using System.Text.Json;
using ExportFlows.Tests.Catalog;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Planning;

/// <summary>
/// The graph runner: a request brings in its dependencies, each row starts when its own dependencies ended (not in
/// waves), a failed hard dependency or a missing required value reports the row not run, a soft one lets it run.
/// </summary>
public sealed class ExportGraphTests
{
    private static readonly ExportCatalog Catalog = CatalogText.Parse(GraphCatalogText.Valid).Catalog!;
    private static readonly DateTimeOffset Now = new(2026, 2, 10, 18, 0, 0, TimeSpan.Zero);

    private static ExportPlan Plan(params string[] types) => ExportPlanner.Plan(Catalog, new ExportRequest(types, "2026-02-10"), Now);

    private static ExportOutcome Ok(string type, string? version = null) => new(type, ExportStatus.Succeeded, null, 0, 1, 0.1)
    {
        Values = version is null ? null : new Dictionary<string, JsonElement> { ["version_id"] = JsonSerializer.SerializeToElement(version) },
    };

    /// <summary>Runs the graph with a gate per row; the test opens the gates and watches what has started.</summary>
    private sealed class GatedRun
    {
        public readonly Dictionary<string, TaskCompletionSource<ExportOutcome>> Gates = new(StringComparer.Ordinal);
        public readonly List<string> Started = [];
        public readonly Dictionary<string, IReadOnlyDictionary<string, ExportOutcome>> Seen = new(StringComparer.Ordinal);

        public Task<ExportOutcome[]> RunAsync(ExportPlan plan) => ExportGraph.RunAsync(plan, Catalog.Get, (job, ended) =>
        {
            lock (Started)
            {
                Started.Add(job.Type);
                Seen[job.Type] = ended;
            }
            return Gates[job.Type].Task;
        }, Task.WhenAll);

        public GatedRun(IEnumerable<string> types)
        {
            foreach (var type in types)
            {
                Gates[type] = new TaskCompletionSource<ExportOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public Task StartedAsync(string type) => Bounded.UntilAsync(() =>
        {
            lock (Started)
            {
                return Task.FromResult(Started.Contains(type));
            }
        }, $"{type} to start");
    }

    [Fact]
    public void Plan_RowWithDependencies_BringsThemInTransitivelyBeforeIt()
    {
        var plan = Plan("best", "picks");

        Assert.Equal(["discover", "materialize", "best", "picks"], plan.Requested);
        Assert.Equal(["discover", "materialize"], plan.Dependencies);
        Assert.Equal(["discover", "materialize", "best", "picks"], plan.Jobs.Select(j => j.Type));
    }

    [Fact]
    public async Task RunAsync_Chain_EachRowStartsWhenItsOwnDependenciesEnded()
    {
        var plan = Plan("best", "picks");
        var run = new GatedRun(plan.Jobs.Select(j => j.Type));

        var all = run.RunAsync(plan);

        Assert.Equal(["discover", "picks"], run.Started);
        run.Gates["discover"].SetResult(Ok("discover"));
        await run.StartedAsync("materialize");
        Assert.DoesNotContain("best", run.Started);
        run.Gates["materialize"].SetResult(Ok("materialize", "v_1"));
        await run.StartedAsync("best");
        Assert.Equal("v_1", run.Seen["best"]["materialize"].Values!["version_id"].GetString());
        run.Gates["best"].SetResult(Ok("best"));
        run.Gates["picks"].SetResult(Ok("picks"));
        Assert.Equal(["discover", "materialize", "best", "picks"], (await all.Within()).Select(o => o.Type));
    }

    [Fact]
    public async Task RunAsync_FailedDependency_HardDependentNotRunNamingTheFailureSoftDependentRuns()
    {
        var plan = Plan("best", "strict");
        var run = new GatedRun(plan.Jobs.Select(j => j.Type));
        var all = run.RunAsync(plan);

        run.Gates["discover"].SetResult(Ok("discover"));
        await run.StartedAsync("materialize");
        run.Gates["materialize"].SetResult(new ExportOutcome("materialize", ExportStatus.Failed, null, 0, 3, 2, "table locked", "WarehouseError"));
        await run.StartedAsync("best");
        run.Gates["best"].SetResult(Ok("best"));
        var outcomes = (await all.Within()).ToDictionary(o => o.Type);

        Assert.DoesNotContain("strict", run.Started);
        var strict = outcomes["strict"];
        Assert.Equal((ExportStatus.NotRun, ExportErrorTypes.DependencyFailed), (strict.Status, strict.ErrorType));
        Assert.Equal("not run: it requires materialize, which failed (WarehouseError: table locked)", strict.Error);
        Assert.Equal(ExportStatus.Succeeded, outcomes["best"].Status);
        Assert.False(ExportReportBuilder.Build(plan, outcomes.Values).Succeeded);
    }

    [Fact]
    public async Task RunAsync_RequiredValueNotGiven_RowNotRunNamingTheValue()
    {
        var plan = Plan("strict");
        var run = new GatedRun(plan.Jobs.Select(j => j.Type));
        var all = run.RunAsync(plan);

        run.Gates["discover"].SetResult(Ok("discover"));
        await run.StartedAsync("materialize");
        run.Gates["materialize"].SetResult(Ok("materialize"));
        var strict = (await all.Within()).Single(o => o.Type == "strict");

        Assert.Equal(ExportStatus.NotRun, strict.Status);
        Assert.StartsWith("not run: it takes value materialize.version_id, and materialize gave no such value", strict.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_RunWithDependencies_ListsThemAndTheStepsInOrder()
    {
        var plan = Plan("best");
        var report = ExportReportBuilder.Build(plan, [Ok("best"), Ok("materialize", "v_1") with { Step = true }, Ok("discover") with { Step = true }]);

        Assert.Equal(["discover", "materialize", "best"], report.Exports.Select(e => e.Type));
        Assert.Equal("v_1", report.Exports[1].Values!["version_id"].GetString());
        Assert.True(report.Succeeded);
    }

    [Fact]
    public async Task RunAsync_SkipReasonAndOrder_SkippedRowNeverStartsOrderedRowWaitsWithoutBringingIn()
    {
        var request = new ExportRequest(["picks", "discover", "best"], "2026-02-10",
            SkipReasons: new Dictionary<string, string> { ["discover"] = "skipped: condition status == \"success\" is false (status = \"failed\")" },
            RunAfter: new Dictionary<string, IReadOnlyList<string>> { ["discover"] = ["picks"] });
        var plan = ExportPlanner.Plan(Catalog, request, Now);
        var run = new GatedRun(plan.Jobs.Select(j => j.Type));
        var all = run.RunAsync(plan);

        await run.StartedAsync("picks");
        run.Gates["picks"].SetResult(Ok("picks"));
        await run.StartedAsync("materialize");
        run.Gates["materialize"].SetResult(Ok("materialize", "v_1"));
        await run.StartedAsync("best");
        run.Gates["best"].SetResult(Ok("best"));
        var outcomes = (await all.Within()).ToDictionary(o => o.Type);

        Assert.DoesNotContain("discover", run.Started);
        Assert.Equal((ExportStatus.Skipped, "skipped: condition status == \"success\" is false (status = \"failed\")", true),
            (outcomes["discover"].Status, outcomes["discover"].Error, outcomes["discover"].Step));
        Assert.True(ExportReportBuilder.Build(plan, outcomes.Values).Succeeded);
    }

    [Fact]
    public async Task RunAsync_OrderOnARowOfTheRun_WaitsForItToEnd()
    {
        var request = new ExportRequest(["picks", "graded"], "2026-02-10", RunAfter: new Dictionary<string, IReadOnlyList<string>> { ["graded"] = ["picks"] });
        var plan = ExportPlanner.Plan(Catalog, request, Now);
        var run = new GatedRun(plan.Jobs.Select(j => j.Type));
        var all = run.RunAsync(plan);

        await run.StartedAsync("discover");
        run.Gates["discover"].SetResult(Ok("discover"));
        await Task.Yield();
        Assert.DoesNotContain("graded", run.Started);
        run.Gates["picks"].SetResult(new ExportOutcome("picks", ExportStatus.Failed, null, 0, 3, 1, "boom", "WarehouseError"));
        await run.StartedAsync("graded");
        run.Gates["graded"].SetResult(Ok("graded"));
        Assert.Equal(ExportStatus.Succeeded, (await all.Within()).Single(o => o.Type == "graded").Status);
    }

    [Theory]
    [InlineData("other", "picks", "'other' is given a skip reason or an order but is not a type of the request")]
    [InlineData("picks", "graded", "'picks' is to run after 'graded', which is not a type of the request listed before it")]
    [InlineData("picks", "nowhere", "'picks' is to run after 'nowhere', which is not a type of the request listed before it")]
    public void Plan_OrderNamingAnotherRunOrALaterRow_Refused(string type, string after, string expected)
    {
        var request = new ExportRequest(["picks", "graded"], "2026-02-10", RunAfter: new Dictionary<string, IReadOnlyList<string>> { [type] = [after] });
        Assert.Equal(expected, Assert.Throws<InvalidExportRequestException>(() => ExportPlanner.Plan(Catalog, request, Now)).Message);
    }
}
