using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ExportFlows.Worker.PubSub;

/// <summary>The <c>outcome</c> label of <c>exportflows_pubsub_pushes_total</c>: what the endpoint answered and why.</summary>
public static class PushOutcome
{
    public const string Signalled = "signalled";
    public const string ConflictResolved = "conflict-resolved";
    public const string ConflictExhausted = "conflict-exhausted";
    public const string Rejected = "rejected";
    public const string Unavailable = "unavailable";
    public const string TemporalRefused = "temporal-refused";
    public const string KeysUnavailable = "keys-unavailable";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string BadRequest = "bad-request";
    public const string Unsupported = "unsupported";
    public const string TooLarge = "too-large";
}

/// <summary>What the push endpoint did, for logs, tests and metrics.</summary>
public sealed class PushCounters
{
    private static readonly Meter Meter = new("ExportFlows.PubSub");
    private static readonly Counter<long> Pushes = Meter.CreateCounter<long>("exportflows.pubsub.pushes", description: "push requests by outcome");
    private readonly ConcurrentDictionary<string, long> _byOutcome = new(StringComparer.Ordinal);

    /// <summary>Handed to Temporal: at once, or after a start conflict resolved by trying again.</summary>
    public long Signalled => Of(PushOutcome.Signalled) + Of(PushOutcome.ConflictResolved);

    public long Rejected => Of(PushOutcome.Rejected);

    public long Unauthorized => Of(PushOutcome.Unauthorized) + Of(PushOutcome.Forbidden);

    public long Unavailable => Of(PushOutcome.Unavailable);

    public long Of(string outcome) => _byOutcome.GetValueOrDefault(outcome);

    public void Count(string outcome)
    {
        Pushes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        _byOutcome.AddOrUpdate(outcome, 1, (_, n) => n + 1);
    }
}
