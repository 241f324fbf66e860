using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Temporalio.Client;
using Temporalio.Extensions.Hosting;

namespace ExportFlows.Worker.PubSub;

/// <summary>Is the worker ready for traffic: Temporal reachable, and the hosted worker polling.</summary>
public sealed class WorkerReadiness(ITemporalClient client, IEnumerable<IHostedService> hosted)
{
    public static TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    public async Task<(bool Ready, string Temporal, string Worker)> CheckAsync(CancellationToken cancellationToken)
    {
        string temporal;
        try
        {
            temporal = await client.Connection.CheckHealthAsync(options: new RpcOptions { Timeout = Timeout, CancellationToken = cancellationToken }) ? "reachable" : "not serving";
        }
        catch (Exception ex) when (ex is Temporalio.Exceptions.RpcException or InvalidOperationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            temporal = $"unreachable: {ex.Message}";
        }
        var workers = hosted.OfType<TemporalWorkerService>().ToList();
        var worker = workers.Count == 0 ? "none hosted"
            : workers.All(w => w.ExecuteTask is { IsCompleted: false }) ? "polling"
            : "stopped";
        return (temporal == "reachable" && worker == "polling", temporal, worker);
    }
}

public static class HealthEndpoints
{
    /// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: Temporal reachable and the worker polling (503 otherwise).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => Results.Json(new { status = "up" }));
        routes.MapGet("/readyz", async (WorkerReadiness readiness, CancellationToken cancellationToken) =>
        {
            var (ready, temporal, worker) = await readiness.CheckAsync(cancellationToken);
            return Results.Json(new { status = ready ? "ready" : "not ready", temporal, worker }, statusCode: ready ? 200 : 503);
        });
        return routes;
    }
}
