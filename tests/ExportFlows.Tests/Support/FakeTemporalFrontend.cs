using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Tests.Support;

/// <summary>
/// A gRPC endpoint on 127.0.0.1 that speaks Temporal's WorkflowService protocol just far enough to stand in for a
/// server without some APIs: the connection handshake (GetSystemInfo) succeeds with an empty answer, each method in
/// <see cref="Answers"/> gets that gRPC status, every other method UNIMPLEMENTED (status 12), as the time-skipping test
/// server answers the Schedules and visibility APIs.
/// </summary>
public sealed class FakeTemporalFrontend : IAsyncDisposable
{
    private const string Service = "/temporal.api.workflowservice.v1.WorkflowService/";
    private WebApplication? _app;

    /// <summary>gRPC status by method name, e.g. GetWorkflowExecutionHistory → 5 (NOT_FOUND).</summary>
    public Dictionary<string, int> Answers { get; } = new(StringComparer.Ordinal) { ["GetSystemInfo"] = 0 };

    public List<string> Calls { get; } = [];

    public string Address { get; private set; } = "";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(async context =>
        {
            var method = context.Request.Path.Value is { } path && path.StartsWith(Service, StringComparison.Ordinal) ? path[Service.Length..] : "";
            lock (Calls)
            {
                Calls.Add(method);
            }
            await context.Request.Body.CopyToAsync(Stream.Null);
            var status = Answers.TryGetValue(method, out var answer) ? answer : 12;
            context.Response.ContentType = "application/grpc";
            if (status == 0)
            {
                // One length-prefixed message of zero bytes: the empty (default) response message.
                await context.Response.Body.WriteAsync(new byte[5]);
                context.Response.AppendTrailer("grpc-status", "0");
                return;
            }
            context.Response.Headers["grpc-status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = $"{method} is unimplemented";
        });
        await _app.StartAsync();
        var address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Address = $"127.0.0.1:{address.Port}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
