using ExportFlows.Worker.Client;
using ExportFlows.Worker.Hosting;
using ExportFlows.Worker.PubSub;
using ExportFlows.Worker.Temporal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Temporalio.Client;

namespace ExportFlows.Tests.Support;

/// <summary>The worker's HTTP side (push and health endpoints) on a real Kestrel at 127.0.0.1, with the client given.</summary>
public sealed class PushEndpointHost : IAsyncDisposable
{
    private WebApplication? _app;

    public Uri BaseUri { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    public PushCounters Counters => _app!.Services.GetRequiredService<PushCounters>();

    public CapturingLoggerProvider Logs { get; } = new();

    public IServiceProvider Services => _app!.Services;

    /// <param name="exports">When given, the export services and the freshness monitor are hosted too (as in the worker).</param>
    /// <param name="retry">How start conflicts are tried again (the endpoint's default when null).</param>
    /// <param name="clock">When messages are received (today/yesterday of an event's message); the system clock when null.</param>
    public static async Task<PushEndpointHost> StartAsync(PubSubPushOptions options, ITemporalClient client, string taskQueue = "exportflows",
        ExportFlows.Activities.ExportFlowsOptions? exports = null, SignalWithStartRetry? retry = null, TimeProvider? clock = null)
    {
        var host = new PushEndpointHost();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(host.Logs);
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }
        WorkerHost.ConfigureHttp(builder, options, new TemporalSettings { Address = "127.0.0.1:1", TaskQueue = taskQueue });
        builder.Services.AddSingleton(client);
        if (retry is not null)
        {
            builder.Services.AddSingleton(retry);
        }
        if (exports is not null)
        {
            ExportFlows.Activities.ServiceCollectionExtensions.AddExportFlows(builder.Services, exports);
            WorkerHost.AddFreshnessMonitor(builder.Services);
        }
        host._app = builder.Build();
        WorkerHost.MapHttp(host._app);
        await host._app.StartAsync();
        var address = host._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
