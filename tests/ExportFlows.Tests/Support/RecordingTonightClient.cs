using System.Collections.Concurrent;
using System.Text.Json;
using Temporalio.Client;
using Temporalio.Client.Interceptors;

namespace ExportFlows.Tests.Support;

/// <summary>
/// A real <see cref="TemporalClient"/> whose start calls are recorded through the SDK's client interceptor seam and
/// never reach a server: what the push endpoint sends (workflow id, signal name, the signal's arguments).
/// </summary>
public sealed class RecordingTonightClient : IClientInterceptor
{
    public sealed record SignalWithStart(string WorkflowId, string Signal, JsonElement Message, string? DeliveryId, int Arguments);

    public RecordingTonightClient()
    {
        Client = new TemporalClient(
            TemporalConnection.CreateLazy(new TemporalConnectionOptions("127.0.0.1:1")),
            new TemporalClientOptions { Namespace = "default", Interceptors = [this] });
    }

    public TemporalClient Client { get; }

    public ConcurrentQueue<SignalWithStart> Calls { get; } = new();

    public ClientOutboundInterceptor InterceptClient(ClientOutboundInterceptor nextInterceptor) => new Outbound(this, nextInterceptor);

    private sealed class Outbound(RecordingTonightClient owner, ClientOutboundInterceptor next) : ClientOutboundInterceptor(next)
    {
        public override Task<WorkflowHandle<TWorkflow, TResult>> StartWorkflowAsync<TWorkflow, TResult>(StartWorkflowInput input)
        {
            var args = input.Options.StartSignalArgs ?? [];
            owner.Calls.Enqueue(new SignalWithStart(input.Options.Id!, input.Options.StartSignal!,
                (JsonElement)args.First()!, args.Count > 1 ? (string?)args.ElementAt(1) : null, args.Count));
            return Task.FromResult(new WorkflowHandle<TWorkflow, TResult>(owner.Client, input.Options.Id!));
        }
    }
}
