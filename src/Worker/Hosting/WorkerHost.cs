using ExportFlows.Activities;
using ExportFlows.Worker.Client;
using ExportFlows.Worker.PubSub;
using ExportFlows.Worker.Temporal;
using ExportFlows.Workflows.Orchestration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Temporalio.Extensions.Hosting;

namespace ExportFlows.Worker.Hosting;

/// <summary>How <c>exportflows worker</c> builds its host; tests build the same one.</summary>
public static class WorkerHost
{
    /// <summary>
    /// Before the host starts: fails fast when the server is unreachable, and registers the search attributes the
    /// workflows set (idempotent), so a fresh server needs no manual step.
    /// </summary>
    public static async Task PrepareAsync(TemporalSettings temporal, ILogger logger, CancellationToken cancellationToken)
    {
        var client = await temporal.ConnectAsync();
        var registration = await SearchAttributeRegistration.EnsureAsync(client, cancellationToken);
        if (registration.Added.Count > 0)
        {
            logger.LogInformation("Registered search attributes {Attributes} in namespace {Namespace}", string.Join(", ", registration.Added), temporal.Namespace);
        }
    }

    /// <summary>The worker's connections report the SDK's metrics through the process's metrics runtime.</summary>
    private static Temporalio.Client.TemporalClientConnectOptions ConnectOptions(TemporalSettings temporal)
    {
        var connect = temporal.ConnectOptions();
        connect.Runtime = Telemetry.TemporalMetricsRuntime.Instance;
        return connect;
    }

    /// <summary>The services of the worker: the export activities and both workflows on the configured task queue.</summary>
    public static void Configure(IHostApplicationBuilder builder, ExportFlowsOptions options, TemporalSettings temporal)
    {
        // An invalid catalog or a typo in ExportFlows__EnabledTypes stops the worker at start (exit 2), not every workflow later.
        _ = options.EnabledTypeSet(Activities.Catalog.CatalogFileSource.Load(options));
        var connect = ConnectOptions(temporal);
        builder.Services.AddExportFlows(options);
        AddFreshnessMonitor(builder.Services);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = temporal.GracefulShutdown + TimeSpan.FromSeconds(15));
        builder.Services
            .AddHostedTemporalWorker(temporal.TaskQueue)
            .ConfigureOptions(o =>
            {
                o.ClientOptions = connect;
                // On SIGTERM running activities get this long to finish; what does not is retried by another worker.
                o.GracefulShutdownTimeout = temporal.GracefulShutdown;
                // Cancellations reach a running export or span with its next heartbeat: within 10 s, not the default 60 s.
                o.MaxHeartbeatThrottleInterval = ExportWorkerRegistration.HeartbeatThrottle;
            })
            .AddSingletonActivities<ExportActivities>()
            .ConfigureOptions(o => o.AddExportWorkflows());
    }

    /// <summary>
    /// The HTTP side of the same host: the Pub/Sub push endpoint and the health endpoints, on one port. The push
    /// endpoint signals through its own lazily connected client, so an unreachable Temporal answers 503, not a crash.
    /// </summary>
    public static void ConfigureHttp(IHostApplicationBuilder builder, PubSubPushOptions push, TemporalSettings temporal)
    {
        var validated = push.Validated();
        builder.Services.AddSingleton(validated);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PushCounters>();
        builder.Services.AddHttpClient(nameof(GoogleSigningKeys), http => http.Timeout = GoogleSigningKeys.FetchTimeout);
        builder.Services.AddSingleton(sp => new GoogleSigningKeys(validated, sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(GoogleSigningKeys)),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GoogleSigningKeys>>()));
        builder.Services.AddSingleton<GoogleOidcTokenVerifier>();
        builder.Services.AddSingleton<Temporalio.Client.ITemporalClient>(_ => Temporalio.Client.TemporalClient.CreateLazy(ConnectOptions(temporal)));
        // A push-only host has no exporters: it signals with the catalog the worker would use (the shipped one unless configured).
        builder.Services.TryAddSingleton<Activities.Catalog.IExportCatalogSource>(sp => new Activities.Catalog.CatalogFileSource(null,
            Activities.Exporters.NativeExporters.Names, sp.GetRequiredService<ILogger<Activities.Catalog.CatalogFileSource>>()));
        builder.Services.AddTransient(sp => new Phase6Client(sp.GetRequiredService<Temporalio.Client.ITemporalClient>(), temporal.TaskQueue,
            sp.GetRequiredService<Activities.Catalog.IExportCatalogSource>().Current)
        { Source = "Pub/Sub push (POST /pubsub/EVENT)" });
        builder.Services.AddSingleton<WorkerReadiness>();
        var freshness = FreshnessMeterOf(builder.Services).Name;
        builder.Services.AddSingleton<Telemetry.CatalogGauges>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Activities.Telemetry.ExportMetrics.MeterName, freshness, "ExportFlows.PubSub",
                Telemetry.DiagnosticsMetricMeter.MeterName)
            .AddPrometheusExporter());
    }

    /// <summary>The freshness gauges of today's documents (needs the store of <c>AddExportFlows</c>).</summary>
    public static void AddFreshnessMonitor(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        FreshnessMeterOf(services);
        services.AddSingleton<Telemetry.FreshnessMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<Telemetry.FreshnessMonitor>());
    }

    public static void MapHttp(WebApplication app)
    {
        app.MapPubSubPush();
        app.MapHealth();
        app.MapPrometheusScrapingEndpoint();
        // Observable gauges exist once created: the catalog's are created with the endpoint that serves them.
        _ = app.Services.GetRequiredService<Telemetry.CatalogGauges>();
        if (app.Services.GetRequiredService<PubSubPushOptions>().InsecureNoAuth)
        {
            app.Logger.LogWarning("INSECURE: the push endpoints ({Path} and every event's /pubsub/NAME) accept requests without a token (--insecure-no-auth); use it on a laptop only", PubSubPushEndpoint.Path);
        }
    }

    /// <summary>The host's freshness meter, registered once whichever of HTTP and the monitor is configured first.</summary>
    private static Telemetry.FreshnessMeter FreshnessMeterOf(IServiceCollection services)
    {
        if (services.Select(d => d.ImplementationInstance).OfType<Telemetry.FreshnessMeter>().FirstOrDefault() is { } existing)
        {
            return existing;
        }
        var meter = Telemetry.FreshnessMeter.Create();
        services.AddSingleton(meter);
        return meter;
    }
}
