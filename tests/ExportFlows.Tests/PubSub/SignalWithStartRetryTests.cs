using ExportFlows.Worker.Client;
using Temporalio.Exceptions;

namespace ExportFlows.Tests.PubSub;

/// <summary>The retry decision on the server's start conflict, with a fake call and the pauses recorded instead of slept.</summary>
public sealed class SignalWithStartRetryTests
{
    private readonly List<TimeSpan> _pauses = [];

    private SignalWithStartRetry Retry(ConflictRetryPolicy? policy = null, double random = 0.5) =>
        new(policy ?? ConflictRetryPolicy.Default, (pause, _) =>
        {
            _pauses.Add(pause);
            return Task.CompletedTask;
        }, new FixedRandom(random));

    private static WorkflowAlreadyStartedException Conflict() => new("WorkflowId: phase6-tonight-2090-02-01, RunId: 7ac0cc50", "phase6-tonight-2090-02-01", "Phase6TonightWorkflow", "7ac0cc50");

    /// <summary>A call that throws <paramref name="failures"/> in order, then answers.</summary>
    private static Func<CancellationToken, Task<string>> Call(List<int> calls, params Exception[] failures) => _ =>
    {
        calls.Add(calls.Count + 1);
        return calls.Count <= failures.Length ? Task.FromException<string>(failures[calls.Count - 1]) : Task.FromResult("signalled");
    };

    [Fact]
    public async Task RunAsync_ConflictTwiceThenAccepted_SignalsOnThirdTryAfterGrowingPauses()
    {
        var calls = new List<int>();

        var (value, conflicts) = await Retry().RunAsync(Call(calls, Conflict(), Conflict()), CancellationToken.None);

        Assert.Equal(("signalled", 2, 3), (value, conflicts, calls.Count));
        // Random 0.5: three quarters of 100 ms, then of 200 ms.
        Assert.Equal([TimeSpan.FromMilliseconds(75), TimeSpan.FromMilliseconds(150)], _pauses);
    }

    [Fact]
    public async Task RunAsync_GrpcAlreadyExistsWithoutDetails_TreatedAsTheSameConflict()
    {
        var calls = new List<int>();

        var (_, conflicts) = await Retry().RunAsync(Call(calls, new RpcException(RpcException.StatusCode.AlreadyExists, "workflow execution already started", null)), CancellationToken.None);

        Assert.Equal((1, 2), (conflicts, calls.Count));
    }

    [Fact]
    public async Task RunAsync_ConflictOnEveryTry_ExhaustedAfterFiveTriesWithinTwoSeconds()
    {
        var calls = new List<int>();

        var error = await Assert.ThrowsAsync<StartConflictExhaustedException>(() =>
            Retry(random: 1.0).RunAsync(Call(calls, Enumerable.Range(0, 10).Select(_ => (Exception)Conflict()).ToArray()), CancellationToken.None));

        Assert.Equal((5, 5), (calls.Count, error.Attempts));
        Assert.Equal(4, _pauses.Count);
        Assert.True(_pauses.Sum(p => p.TotalMilliseconds) <= 1500, $"pauses of {_pauses.Sum(p => p.TotalMilliseconds)} ms");
        Assert.IsType<WorkflowAlreadyStartedException>(error.InnerException);
        Assert.Contains("starting or closing on each of 5 signal-with-start tries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BudgetSpent_StopsBeforeTheNextPause()
    {
        var calls = new List<int>();
        var tight = ConflictRetryPolicy.Default with { Budget = TimeSpan.FromMilliseconds(10) };

        var error = await Assert.ThrowsAsync<StartConflictExhaustedException>(() => Retry(tight).RunAsync(Call(calls, Conflict(), Conflict()), CancellationToken.None));

        Assert.Equal((1, 1), (calls.Count, error.Attempts));
        Assert.Empty(_pauses);
    }

    [Fact]
    public async Task RunAsync_TemporalUnavailable_NotRetriedHere()
    {
        var calls = new List<int>();
        var down = new RpcException(RpcException.StatusCode.Unavailable, "connection refused", null);

        var error = await Assert.ThrowsAsync<RpcException>(() => Retry().RunAsync(Call(calls, down), CancellationToken.None));

        Assert.Same(down, error);
        Assert.Single(calls);
        Assert.Empty(_pauses);
    }

    [Theory]
    [InlineData(RpcException.StatusCode.AlreadyExists, TemporalFailureKind.StartConflict)]
    [InlineData(RpcException.StatusCode.Unavailable, TemporalFailureKind.Unavailable)]
    [InlineData(RpcException.StatusCode.DeadlineExceeded, TemporalFailureKind.Unavailable)]
    [InlineData(RpcException.StatusCode.ResourceExhausted, TemporalFailureKind.Unavailable)]
    [InlineData(RpcException.StatusCode.PermissionDenied, TemporalFailureKind.Refused)]
    [InlineData(RpcException.StatusCode.NotFound, TemporalFailureKind.Refused)]
    [InlineData(RpcException.StatusCode.InvalidArgument, TemporalFailureKind.Refused)]
    public void Classify_RpcCodes_ConflictUnavailableOrRefused(RpcException.StatusCode code, TemporalFailureKind expected) =>
        Assert.Equal(expected, SignalWithStartRetry.Classify(new RpcException(code, "x", null)));

    [Fact]
    public void Classify_OtherExceptions_ByWhatTheyMean()
    {
        Assert.Equal(TemporalFailureKind.StartConflict, SignalWithStartRetry.Classify(Conflict()));
        Assert.Equal(TemporalFailureKind.Unavailable, SignalWithStartRetry.Classify(new InvalidOperationException("Connection failed")));
        Assert.Equal(TemporalFailureKind.Refused, SignalWithStartRetry.Classify(new ArgumentException("bad")));
    }

    [Theory]
    [InlineData(2, 0.0, 50)]
    [InlineData(2, 1.0, 100)]
    [InlineData(3, 0.0, 100)]
    [InlineData(5, 1.0, 800)]
    public void DelayBefore_Try_DoublingWithAJitteredHalf(int attempt, double random, double expectedMs) =>
        Assert.Equal(expectedMs, ConflictRetryPolicy.Default.DelayBefore(attempt, random).TotalMilliseconds, 3);

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
