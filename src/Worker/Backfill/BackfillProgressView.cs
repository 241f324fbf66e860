using ExportFlows.Workflows.Contracts;
using Spectre.Console;

namespace ExportFlows.Worker.Backfill;

/// <summary>Shows a backfill's progress: a progress bar on a terminal, otherwise one line per finished date (or per change).</summary>
public sealed class BackfillProgressView(TextWriter output, bool progressBar)
{
    public async Task<T> RunAsync<T>(Func<Action<BackfillProgress, BackfillDateOutcome?>, Task<T>> run)
    {
        if (!progressBar)
        {
            BackfillProgress? shown = null;
            return await run((progress, date) =>
            {
                lock (output)
                {
                    if (date is not null)
                    {
                        output.WriteLine($"[{progress.Done + progress.Failed}/{progress.Total}] {date.Date} " +
                            (date.Succeeded ? $"ok: {date.Written} written, {date.Skipped} skipped" : $"FAILED: {date.Error}"));
                    }
                    else if (progress.Total > 0 && shown is not null && (shown.Done, shown.Failed) != (progress.Done, progress.Failed))
                    {
                        output.WriteLine($"[{progress.Done + progress.Failed}/{progress.Total}] {progress.Done} done, {progress.Failed} failed");
                    }
                    shown = progress;
                }
            });
        }
        T result = default!;
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async context =>
        {
            var task = context.AddTask("backfill", maxValue: 1);
            result = await run((progress, _) =>
            {
                task.MaxValue = Math.Max(1, progress.Total);
                task.Value = progress.Done + progress.Failed;
                task.Description = $"backfill: {progress.Done} done, {progress.Failed} failed, {progress.Remaining} left";
            });
        });
        return result;
    }
}
