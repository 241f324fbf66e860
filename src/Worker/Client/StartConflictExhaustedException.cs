namespace ExportFlows.Worker.Client;

/// <summary>The start conflict outlasted every try.</summary>
public sealed class StartConflictExhaustedException(int attempts, TimeSpan elapsed, Exception last)
    : Exception($"the workflow was starting or closing on each of {attempts} signal-with-start tries in {elapsed.TotalMilliseconds:0} ms ({last.Message})", last)
{
    public int Attempts { get; } = attempts;
}
