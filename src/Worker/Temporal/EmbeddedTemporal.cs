using System.Net;
using System.Net.Sockets;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Testing;

namespace ExportFlows.Worker.Temporal;

/// <summary>
/// A Temporal dev server for laptops: an existing binary (TEMPORAL_CLI_PATH or <c>temporal</c> on PATH) before the SDK's download. Custom search attributes are registered at start.
/// </summary>
public static class EmbeddedTemporal
{
    /// <summary>The dev server (Temporal CLI) binary to use instead of downloading one, if any.</summary>
    public static string? ExistingBinary()
    {
        if (Environment.GetEnvironmentVariable("TEMPORAL_CLI_PATH") is { Length: > 0 } path && File.Exists(path))
        {
            return path;
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "temporal.exe" : "temporal"))
            .FirstOrDefault(File.Exists);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts a dev server with the UI, or returns null with the reason when none can be obtained (offline, say).</summary>
    public static async Task<(WorkflowEnvironment? Environment, string? UiUrl, string? Problem)> TryStartAsync(ILogger logger, TimeSpan timeout)
    {
        var uiPort = FreePort();
        var options = new WorkflowEnvironmentStartLocalOptions
        {
            UI = true,
            UIPort = uiPort,
            SearchAttributes = ExportSearchAttributes.All,
            DevServerOptions = new DevServerOptions { ExistingPath = ExistingBinary(), LogLevel = "error" },
        };
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            var start = WorkflowEnvironment.StartLocalAsync(options);
            var finished = await Task.WhenAny(start, Task.Delay(Timeout.Infinite, cancel.Token).ContinueWith(_ => { }, TaskScheduler.Default));
            if (finished != start)
            {
                _ = start.ContinueWith(t => t.Result.DisposeAsync().AsTask(), TaskContinuationOptions.OnlyOnRanToCompletion);
                return (null, null, $"the Temporal dev server did not start within {timeout.TotalSeconds:F0} s");
            }
            var environment = await start;
            logger.LogInformation("Started a Temporal dev server at {Address}", environment.Client.Connection.Options.TargetHost);
            return (environment, $"http://127.0.0.1:{uiPort}", null);
        }
        catch (Exception ex)
        {
            return (null, null, ex.Message.Split('\n')[0]);
        }
    }
}
