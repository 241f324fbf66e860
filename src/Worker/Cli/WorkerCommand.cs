using System.CommandLine;
using ExportFlows.Worker.Hosting;
using ExportFlows.Worker.PubSub;
using ExportFlows.Worker.Temporal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Worker.Cli;

/// <summary><c>exportflows worker</c>: the long-running Temporal worker host.</summary>
public static class WorkerCommand
{
    public static Command Create(CliContext context)
    {
        var http = new Option<string?>("--http") { Description = "serve the Pub/Sub push endpoint and /healthz, /readyz on this URL, HOST:PORT or http://HOST:PORT, e.g. 0.0.0.0:8080 (default: Http:Url)" };
        var audience = new Option<string?>("--push-audience") { Description = "audience of the push subscription's OIDC tokens (default: PubSub:Audience)" };
        var accounts = new Option<string?>("--push-service-accounts") { Description = "service accounts allowed to push, comma-separated (default: PubSub:AllowedServiceAccounts)" };
        var insecure = new Option<bool>("--insecure-no-auth") { Description = "accept pushes without a token: local use only" };
        var command = new Command("worker", "Run the Temporal worker (workflows and export activities) until stopped; registers the search attributes first; with --http also the Pub/Sub push and health endpoints");
        foreach (var option in new Option[] { http, audience, accounts, insecure })
        {
            command.Options.Add(option);
        }
        context.AddTo(command);
        context.AddTemporalTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = CliContext.LoadConfiguration();
            var url = (parse.GetValue(http) ?? configuration["Http:Url"]) is { Length: > 0 } given ? HttpListenUrl.Normalize(given) : null;
            var builder = string.IsNullOrWhiteSpace(url)
                ? (IHostApplicationBuilder)Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory })
                : WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            var options = context.Options(parse, builder.Configuration);
            var temporal = context.TemporalSettings(parse, builder.Configuration);
            builder.Logging.ClearProviders();
            builder.Logging.AddExportFlowsConsole(builder.Configuration, "yyyy-MM-ddTHH:mm:ss ");
            WorkerHost.Configure(builder, options, temporal);
            IHost host;
            if (builder is WebApplicationBuilder web)
            {
                var push = SettingsBinder.Bind<PubSubPushOptions>(builder.Configuration, PubSubPushOptions.Section);
                push = push with
                {
                    Audience = parse.GetValue(audience) ?? push.Audience,
                    AllowedServiceAccounts = parse.GetValue(accounts) is { } list ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : push.AllowedServiceAccounts,
                    InsecureNoAuth = parse.GetValue(insecure) || push.InsecureNoAuth,
                };
                web.WebHost.UseUrls(url!);
                WorkerHost.ConfigureHttp(web, push, temporal);
                var app = web.Build();
                WorkerHost.MapHttp(app);
                host = app;
            }
            else
            {
                host = ((HostApplicationBuilder)builder).Build();
            }
            using (host)
            {
                var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ExportFlows.Worker");
                await WorkerHost.PrepareAsync(temporal, logger, cancellationToken);
                logger.LogInformation("Worker for {Address} namespace {Namespace} task queue {TaskQueue}; warehouse {Warehouse}, store {Store}; http {Http}",
                    temporal.Address, temporal.Namespace, temporal.TaskQueue, options.Warehouse is { Length: > 0 } w ? w : "embedded sample", options.Store, url ?? "off");
                await host.RunAsync(cancellationToken);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
