using System.CommandLine;
using ExportFlows.Activities;
using ExportFlows.Worker.Temporal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Temporalio.Extensions.Hosting;

namespace ExportFlows.Worker.Cli;

/// <summary><c>exportflows worker</c>: the long-running Temporal worker host.</summary>
public static class WorkerCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("worker", "Run the Temporal worker (workflows and export activities) until stopped");
        context.AddTo(command);
        context.AddTemporalTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
            var options = context.Options(parse, builder.Configuration);
            var temporal = context.TemporalSettings(parse, builder.Configuration);
            var connect = temporal.ConnectOptions();
            // Fail fast with a clear message instead of a crashed host when the server is unreachable.
            await temporal.ConnectAsync();
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss "; });
            builder.Services.AddExportFlows(options);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = temporal.GracefulShutdown + TimeSpan.FromSeconds(15));
            builder.Services
                .AddHostedTemporalWorker(temporal.TaskQueue)
                .ConfigureOptions(o =>
                {
                    o.ClientOptions = connect;
                    // On SIGTERM running activities get this long to finish; what does not is retried by another worker.
                    o.GracefulShutdownTimeout = temporal.GracefulShutdown;
                })
                .AddSingletonActivities<ExportActivities>()
                .AddWorkflow<Workflows.Orchestration.Phase6ExportWorkflow>()
                .AddWorkflow<Workflows.Orchestration.Phase6TonightWorkflow>();
            using var host = builder.Build();
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ExportFlows.Worker");
            logger.LogInformation("Worker for {Address} namespace {Namespace} task queue {TaskQueue}; warehouse {Warehouse}, store {Store}",
                temporal.Address, temporal.Namespace, temporal.TaskQueue, options.Warehouse is { Length: > 0 } w ? w : "embedded sample", options.Store);
            await host.RunAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
