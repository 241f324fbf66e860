using ExportFlows.Worker.Engines;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Spectre.Console;

namespace ExportFlows.Worker.Backfill;

public sealed record BackfillDateResult(DateOnly Date, bool Succeeded, string Detail);

public sealed record BackfillSummary(int Requested, int Skipped, IReadOnlyList<BackfillDateResult> Results)
{
    public int Failed => Results.Count(r => !r.Succeeded);

    public override string ToString() =>
        $"backfill: {Requested} date(s), {Skipped} already done, {Results.Count(r => r.Succeeded)} exported, {Failed} failed";
}

/// <summary>One export per date with bounded concurrency, through either engine; records each finished date.</summary>
public sealed class BackfillRunner(IExportEngine engine, IBackfillJournal journal, TextWriter output, bool progressBar)
{
    public async Task<BackfillSummary> RunAsync(BackfillPlan plan, int concurrency, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var results = new List<BackfillDateResult>();
        var gate = new SemaphoreSlim(Math.Max(1, concurrency));
        var done = 0;
        async Task<BackfillDateResult> RunDateAsync(DateOnly date, Action<BackfillDateResult> report)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var text = ExportDates.ToText(date);
                var request = new ExportRequest(plan.Types, text, text, Trigger: "backfill");
                BackfillDateResult result;
                try
                {
                    var exported = await engine.RunAsync(request, now, cancellationToken, BackfillPlanner.WorkflowId(date, plan.Types));
                    result = new(date, exported.Succeeded, exported.Summary());
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    result = new(date, false, ex.Message);
                }
                await journal.RecordAsync(date, plan.Types, result.Succeeded, cancellationToken);
                report(result);
                return result;
            }
            finally
            {
                gate.Release();
            }
        }

        if (progressBar)
        {
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"backfill {plan.ToRun.Count} date(s)", maxValue: Math.Max(1, plan.ToRun.Count));
                results.AddRange(await Task.WhenAll(plan.ToRun.Select(d => RunDateAsync(d, _ => task.Increment(1)))));
            });
        }
        else
        {
            results.AddRange(await Task.WhenAll(plan.ToRun.Select(d => RunDateAsync(d, r =>
            {
                var n = Interlocked.Increment(ref done);
                lock (output)
                {
                    output.WriteLine($"[{n}/{plan.ToRun.Count}] {ExportDates.ToText(r.Date)} {(r.Succeeded ? "ok" : "FAILED")}: {r.Detail}");
                }
            }))));
        }
        return new BackfillSummary(plan.ToRun.Count + plan.AlreadySucceeded.Count, plan.AlreadySucceeded.Count, results.OrderBy(r => r.Date).ToList());
    }
}
