using System.CommandLine;
using ExportFlows.Worker.Temporal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Worker.Cli;

/// <summary><c>exportflows worker</c>: the long-running Temporal worker host.</summary>
public static class WorkerCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("worker", "Run the Temporal worker (workflows and export activities) until stopped; registers the search attributes first");
        context.AddTo(command);
        context.AddTemporalTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
            var options = context.Options(parse, builder.Configuration);
            var temporal = context.TemporalSettings(parse, builder.Configuration);
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss "; });
            WorkerHost.Configure(builder, options, temporal);
            using var host = builder.Build();
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ExportFlows.Worker");
            await WorkerHost.PrepareAsync(temporal, logger, cancellationToken);
            logger.LogInformation("Worker for {Address} namespace {Namespace} task queue {TaskQueue}; warehouse {Warehouse}, store {Store}",
                temporal.Address, temporal.Namespace, temporal.TaskQueue, options.Warehouse is { Length: > 0 } w ? w : "embedded sample", options.Store);
            await host.RunAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
