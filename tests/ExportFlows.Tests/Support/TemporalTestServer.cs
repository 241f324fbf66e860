using ExportFlows.Worker.Temporal;
using ExportFlows.Workflows.Planning;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace ExportFlows.Tests.Support;

/// <summary>
/// One Temporal server for the whole test run, found in this order: a running server at EXPORTFLOWS_TEST_TEMPORAL_ADDRESS;
/// the dev server from TEMPORAL_CLI_PATH or <c>temporal</c> on PATH; the time-skipping test server from
/// TEMPORAL_TEST_SERVER_PATH; the dev server the SDK downloads. The project's search attributes are registered through
/// the operator service on whichever it is. Where none can be had (offline, no binary) the Temporal tests are skipped
/// with the reason.
/// </summary>
public static class TemporalTestServer
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromMinutes(3);

    private static readonly Lazy<(WorkflowEnvironment? Environment, string? Problem)> Probe = new(StartOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<string?> SchedulesProbe = new(ProbeSchedules, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string? SkipReason => Probe.Value.Environment is null
        ? $"No Temporal server available ({Probe.Value.Problem}); set EXPORTFLOWS_TEST_TEMPORAL_ADDRESS, TEMPORAL_CLI_PATH or TEMPORAL_TEST_SERVER_PATH, put 'temporal' on PATH, or go online for the SDK's download"
        : null;

    /// <summary>Why schedule tests cannot run: no server, or a server without the Schedules API (the time-skipping test server).</summary>
    public static string? SchedulesSkipReason => SkipReason ?? SchedulesProbe.Value;

    private static readonly Lazy<string?> UserMetadataProbe = new(ProbeUserMetadata, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Why user metadata (static summary and details) cannot be tested: no server, or one that does not keep it.</summary>
    public static string? UserMetadataSkipReason => SkipReason ?? UserMetadataProbe.Value;

    public static WorkflowEnvironment Environment => Probe.Value.Environment ?? throw new InvalidOperationException(SkipReason);

    private static readonly Lazy<ITemporalClient> PlainClient = new(() => WithoutTimeSkipping(Environment.Client), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The client every server test uses. On the time-skipping test server, the environment's own client skips time
    /// while a test waits on a result, for every test at once (time is global to the server): a workflow timeout or an
    /// activity timeout of another test then fires while its activity still runs. This client has no such interceptor,
    /// so time on the server runs at wall-clock speed; no test here needs skipped time.
    /// </summary>
    public static ITemporalClient Client => PlainClient.Value;

    private static ITemporalClient WithoutTimeSkipping(ITemporalClient client)
    {
        var options = (TemporalClientOptions)client.Options.Clone();
        options.Interceptors = null;
        return new TemporalClient(client.Connection, options);
    }

    /// <summary>A task queue of the test's own, so no other test's worker takes its tasks.</summary>
    public static string NewTaskQueue() => $"tests-{Guid.NewGuid():N}";

    private static (WorkflowEnvironment?, string?) StartOnce()
    {
        try
        {
            var start = Start();
            if (!start.Wait(StartPatience))
            {
                return (null, $"the server did not start within {StartPatience.TotalMinutes} minutes");
            }
            var environment = start.Result;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => environment.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
            var registration = SearchAttributeRegistration.EnsureAsync(environment.Client);
            if (!registration.Wait(TimeSpan.FromMinutes(1)))
            {
                return (null, "registering the search attributes did not finish within a minute");
            }
            return (environment, null);
        }
        catch (Exception ex)
        {
            var root = ex is AggregateException { InnerException: { } inner } ? inner : ex;
            return (null, root.Message.Split('\n')[0]);
        }
    }

    private static async Task<WorkflowEnvironment> Start()
    {
        if (System.Environment.GetEnvironmentVariable("EXPORTFLOWS_TEST_TEMPORAL_ADDRESS") is { Length: > 0 } address)
        {
            return new WorkflowEnvironment(await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(address)));
        }
        var cli = EmbeddedTemporal.ExistingBinary();
        if (cli is null && System.Environment.GetEnvironmentVariable("TEMPORAL_TEST_SERVER_PATH") is { Length: > 0 } testServer && File.Exists(testServer))
        {
            return await WorkflowEnvironment.StartTimeSkippingAsync(new WorkflowEnvironmentStartTimeSkippingOptions
            {
                TestServer = new TestServerOptions { ExistingPath = testServer },
            });
        }
        return await WorkflowEnvironment.StartLocalAsync(new WorkflowEnvironmentStartLocalOptions
        {
            SearchAttributes = ExportSearchAttributes.All,
            DevServerOptions = new DevServerOptions { ExistingPath = cli, LogLevel = "error" },
        });
    }

    /// <summary>Starts a workflow no worker runs with a static summary, describes it, and terminates it.</summary>
    private static string? ProbeUserMetadata()
    {
        try
        {
            return ProbeUserMetadataAsync().Wait(TimeSpan.FromSeconds(30)) ? null : "the server did not answer a start/describe within 30 s";
        }
        catch (AggregateException ex) when (ex.InnerException is UserMetadataUnsupportedException or RpcException)
        {
            return ex.InnerException.Message.Split('\n')[0];
        }
    }

    private static async Task ProbeUserMetadataAsync()
    {
        var handle = await Client.StartWorkflowAsync("exportflows-metadata-probe", [],
            new WorkflowOptions($"exportflows-probe-{Guid.NewGuid():N}", $"exportflows-probe-{Guid.NewGuid():N}") { StaticSummary = "probe" });
        try
        {
            var summary = await (await handle.DescribeAsync()).GetStaticSummaryAsync();
            if (summary != "probe")
            {
                throw new UserMetadataUnsupportedException("This Temporal server does not keep workflows' user metadata (static summary and details), e.g. an older time-skipping test server");
            }
        }
        finally
        {
            await handle.TerminateAsync("probe done");
        }
    }

    private sealed class UserMetadataUnsupportedException(string message) : Exception(message);

    private static string? ProbeSchedules()
    {
        try
        {
            var describe = Environment.Client.GetScheduleHandle($"exportflows-probe-{Guid.NewGuid():N}").DescribeAsync();
            describe.Wait(TimeSpan.FromSeconds(30));
            return describe.IsCompleted ? null : "the server did not answer a schedule request within 30 s";
        }
        catch (AggregateException ex) when (ex.InnerException is RpcException { Code: RpcException.StatusCode.NotFound })
        {
            return null;
        }
        catch (AggregateException ex) when (ex.InnerException is RpcException rpc)
        {
            return $"This Temporal server has no Schedules API ({rpc.Code}: {rpc.Message.Split('\n')[0]}), e.g. the time-skipping test server";
        }
    }
}

/// <summary>A test that needs a Temporal server; skipped, with the reason, only where none is available.</summary>
public sealed class TemporalFactAttribute : FactAttribute
{
    public TemporalFactAttribute()
    {
        if (TemporalTestServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs a Temporal server; skipped, with the reason, only where none is available.</summary>
public sealed class TemporalTheoryAttribute : TheoryAttribute
{
    public TemporalTheoryAttribute()
    {
        if (TemporalTestServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A test that needs a server that keeps user metadata; skipped, with the reason, on servers without it.</summary>
public sealed class TemporalUserMetadataFactAttribute : FactAttribute
{
    public TemporalUserMetadataFactAttribute()
    {
        if (TemporalTestServer.UserMetadataSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A test that needs the Schedules API; skipped, with the reason, on servers without it.</summary>
public sealed class TemporalSchedulesFactAttribute : FactAttribute
{
    public TemporalSchedulesFactAttribute()
    {
        if (TemporalTestServer.SchedulesSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
