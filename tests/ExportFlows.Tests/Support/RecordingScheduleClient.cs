using System.Collections.Concurrent;
using Temporalio.Client;
using Temporalio.Client.Interceptors;
using Temporalio.Client.Schedules;

namespace ExportFlows.Tests.Support;

/// <summary>
/// A real <see cref="TemporalClient"/> on a connection that is never opened, with the SDK's own client interceptor
/// seam recording the schedule calls: what <c>schedules sync</c> sends, checked without a server. The namespace starts
/// with no schedules; any call not modelled here fails the test.
/// </summary>
public sealed class RecordingScheduleClient : IClientInterceptor
{
    public RecordingScheduleClient()
    {
        Client = new TemporalClient(
            TemporalConnection.CreateLazy(new TemporalConnectionOptions("127.0.0.1:1")),
            new TemporalClientOptions { Namespace = "default", Interceptors = [this] });
    }

    public TemporalClient Client { get; }

    public ConcurrentQueue<CreateScheduleInput> Created { get; } = new();

    public ClientOutboundInterceptor InterceptClient(ClientOutboundInterceptor nextInterceptor) => new Outbound(this, nextInterceptor);

    private sealed class Outbound(RecordingScheduleClient owner, ClientOutboundInterceptor next) : ClientOutboundInterceptor(next)
    {
        public override IAsyncEnumerable<ScheduleListDescription> ListSchedulesAsync(ListSchedulesInput input) => AsyncEnumerable.Empty<ScheduleListDescription>();

        public override Task<ScheduleHandle> CreateScheduleAsync(CreateScheduleInput input)
        {
            owner.Created.Enqueue(input);
            return Task.FromResult(new ScheduleHandle(owner.Client, input.Id));
        }
    }
}
