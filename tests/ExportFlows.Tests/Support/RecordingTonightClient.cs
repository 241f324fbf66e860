using System.Collections.Concurrent;
using System.Text.Json;
using Temporalio.Client;
using Temporalio.Client.Interceptors;
using Temporalio.Converters;

namespace ExportFlows.Tests.Support;

/// <summary>
/// A real <see cref="TemporalClient"/> whose start calls are recorded through the SDK's client interceptor seam and
/// never reach a server: what the push endpoint sends (workflow id, signal name, the signal's arguments as the payloads
/// the SDK would put on the wire). <see cref="Fail"/> makes a call throw instead, as a server would answer.
/// </summary>
public sealed class RecordingTonightClient : IClientInterceptor
{
    /// <param name="MessageBytes">The first signal argument's payload data: what the workflow decodes.</param>
    /// <param name="MessageEncoding">That payload's <c>encoding</c> metadata.</param>
    public sealed record SignalWithStart(string WorkflowId, string Signal, byte[] MessageBytes, string MessageEncoding, string? DeliveryId, int Arguments)
    {
        /// <summary>The user metadata the start carries (what the Web UI shows).</summary>
        public string? Summary { get; init; }

        public string? Details { get; init; }

        public JsonElement Message => JsonDocument.Parse(MessageBytes).RootElement.Clone();
    }

    public RecordingTonightClient()
    {
        Client = new TemporalClient(
            TemporalConnection.CreateLazy(new TemporalConnectionOptions("127.0.0.1:1")),
            new TemporalClientOptions { Namespace = "default", Interceptors = [this] });
    }

    public TemporalClient Client { get; }

    /// <summary>The calls that succeeded.</summary>
    public ConcurrentQueue<SignalWithStart> Calls { get; } = new();

    /// <summary>Calls that threw because <see cref="Fail"/> said so.</summary>
    public int Failed => _failed;

    /// <summary>Asked before each call is recorded: an exception to throw instead (e.g. the server's start conflict), or null.</summary>
    public Func<SignalWithStart, Exception?>? Fail { get; set; }

    private int _failed;

    public ClientOutboundInterceptor InterceptClient(ClientOutboundInterceptor nextInterceptor) => new Outbound(this, nextInterceptor);

    private sealed class Outbound(RecordingTonightClient owner, ClientOutboundInterceptor next) : ClientOutboundInterceptor(next)
    {
        public override Task<WorkflowHandle<TWorkflow, TResult>> StartWorkflowAsync<TWorkflow, TResult>(StartWorkflowInput input)
        {
            var converter = DataConverter.Default.PayloadConverter;
            var args = (input.Options.StartSignalArgs ?? []).Select(converter.ToPayload).ToList();
            var call = new SignalWithStart(input.Options.Id!, input.Options.StartSignal!, args[0].Data.ToByteArray(), args[0].Metadata["encoding"].ToStringUtf8(),
                args.Count > 1 ? converter.ToValue<string>(args[1]) : null, args.Count)
            {
                Summary = input.Options.StaticSummary,
                Details = input.Options.StaticDetails,
            };
            if (owner.Fail?.Invoke(call) is { } failure)
            {
                Interlocked.Increment(ref owner._failed);
                return Task.FromException<WorkflowHandle<TWorkflow, TResult>>(failure);
            }
            owner.Calls.Enqueue(call);
            return Task.FromResult(new WorkflowHandle<TWorkflow, TResult>(owner.Client, input.Options.Id!));
        }
    }
}
