using ExportFlows.Worker.Temporal;
using ExportFlows.Workflows.Planning;
using Temporalio.Testing;

namespace ExportFlows.Tests.Support;

/// <summary>
/// One Temporal server for the whole test run: the dev server from TEMPORAL_CLI_PATH or <c>temporal</c> on PATH,
/// else the time-skipping test server from TEMPORAL_TEST_SERVER_PATH, else the SDK's download. Where none can be had
/// (offline, no binary) the Temporal tests are skipped with the reason.
/// </summary>
public static class TemporalTestServer
{
    private static readonly Lazy<(WorkflowEnvironment? Environment, string? Problem)> Probe = new(StartOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string? SkipReason => Probe.Value.Environment is null
        ? $"No Temporal server available ({Probe.Value.Problem}); set TEMPORAL_CLI_PATH, put 'temporal' on PATH, or go online for the SDK's download"
        : null;

    public static WorkflowEnvironment Environment => Probe.Value.Environment ?? throw new InvalidOperationException(SkipReason);

    private static (WorkflowEnvironment?, string?) StartOnce()
    {
        try
        {
            var start = Start();
            if (!start.Wait(TimeSpan.FromMinutes(3)))
            {
                return (null, "the server did not start within 3 minutes");
            }
            var environment = start.Result;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => environment.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
            return (environment, null);
        }
        catch (Exception ex)
        {
            var root = ex is AggregateException { InnerException: { } inner } ? inner : ex;
            return (null, root.Message.Split('\n')[0]);
        }
    }

    private static Task<WorkflowEnvironment> Start()
    {
        var cli = EmbeddedTemporal.ExistingBinary();
        if (cli is null && System.Environment.GetEnvironmentVariable("TEMPORAL_TEST_SERVER_PATH") is { Length: > 0 } testServer && File.Exists(testServer))
        {
            return WorkflowEnvironment.StartTimeSkippingAsync(new WorkflowEnvironmentStartTimeSkippingOptions
            {
                TestServer = new TestServerOptions { ExistingPath = testServer },
            });
        }
        return WorkflowEnvironment.StartLocalAsync(new WorkflowEnvironmentStartLocalOptions
        {
            SearchAttributes = ExportSearchAttributes.All,
            DevServerOptions = new DevServerOptions { ExistingPath = cli, LogLevel = "error" },
        });
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
