using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Tests.Support;

/// <summary>A real HTTP server on 127.0.0.1 with an ephemeral port, for the adapters' tests.</summary>
public abstract class LoopbackServer : IAsyncDisposable
{
    private WebApplication? _app;

    public Uri BaseUri { get; private set; } = null!;

    public List<RecordedRequest> Requests { get; } = [];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(async context =>
        {
            context.Request.EnableBuffering();
            using var memory = new MemoryStream();
            // Google's client libraries gzip request bodies (Content-Encoding: gzip), as the real APIs accept.
            if (string.Equals(context.Request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase))
            {
                await using var gzip = new System.IO.Compression.GZipStream(context.Request.Body, System.IO.Compression.CompressionMode.Decompress, leaveOpen: true);
                await gzip.CopyToAsync(memory);
            }
            else
            {
                await context.Request.Body.CopyToAsync(memory);
            }
            context.Request.Body.Position = 0;
            var recorded = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "",
                context.Request.Headers.Authorization.ToString(), context.Request.ContentType, memory.ToArray());
            lock (Requests)
            {
                Requests.Add(recorded);
            }
            try
            {
                await HandleAsync(context, recorded);
            }
            catch (Exception ex) when (!context.Response.HasStarted)
            {
                // A bug of the fake itself: answer with it, so the test failure names it.
                await ErrorAsync(context, 500, "fakeServerError", $"{ex.GetType().Name}: {ex.Message}");
            }
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.TrimEnd('/') + "/");
    }

    protected abstract Task HandleAsync(HttpContext context, RecordedRequest request);

    protected static Task JsonAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(body));
    }

    protected static Task ErrorAsync(HttpContext context, int status, string reason, string message) =>
        JsonAsync(context, status, new { error = new { code = status, message, errors = new[] { new { reason, message } } } });

    public virtual async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

public sealed record RecordedRequest(string Method, string Path, string Query, string Authorization, string? ContentType, byte[] Body);
