namespace ExportFlows.Worker.Client;

/// <summary>How often, and how long, a signal-with-start is tried again after a start conflict.</summary>
public sealed record ConflictRetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan Budget)
{
    /// <summary>Up to 5 tries within 2 s: delays of 50–100, 100–200, 200–400 and 400–800 ms (half fixed, half jitter).</summary>
    public static ConflictRetryPolicy Default { get; } = new(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));

    /// <summary>The pause before try <paramref name="nextAttempt"/> (2, 3, …): doubling, each with a random half, so racing callers spread out.</summary>
    public TimeSpan DelayBefore(int nextAttempt, double random) =>
        FirstDelay * Math.Pow(2, nextAttempt - 2) * (0.5 + (0.5 * random));
}
