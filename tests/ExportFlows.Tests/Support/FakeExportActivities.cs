using System.Collections.Concurrent;
using ExportFlows.Activities.Exporters;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Activities;
using Temporalio.Converters;

namespace ExportFlows.Tests.Support;

/// <summary>Mocked export activities with the real activity names; each type's behaviour can be replaced.</summary>
public sealed class FakeExportActivities
{
    public ConcurrentQueue<(string Type, int Attempt)> Calls { get; } = new();

    public Dictionary<string, Func<ExportJob, int, Task<ExportedObject>>> Behaviour { get; } = new(StringComparer.Ordinal);

    public long ActivePredictions { get; set; } = 250;

    public string[] DisabledTypes { get; set; } = [];

    /// <summary>null: as a worker recorded before EnabledTypes existed (every requested type runs).</summary>
    public string[]? EnabledTypes { get; set; }

    public string? ExternalTaskQueue { get; set; }

    public TimeSpan? ExternalScheduleToStart { get; set; }

    /// <summary>The store and warehouse the fake worker's configuration names.</summary>
    public string? Store { get; set; }

    public string? Warehouse { get; set; }

    public int ConfigurationCalls;

    /// <summary>The catalog the fake worker reports (null: none, as a worker recorded before catalogs; workflows then use the shipped one).</summary>
    public ExportCatalog? Catalog { get; set; }

    /// <summary>The catalog rows the fake exports are looked up in.</summary>
    public ExportCatalog RowsCatalog => Catalog ?? ExportCatalog.Shipped;

    /// <summary>What a native exporter of the job's row would write: the row's first object for the job's date.</summary>
    public static ExportedObject Written(ExportJob job, int attempt, ExportCatalog? catalog = null) =>
        new(job.Type, (catalog ?? ExportCatalog.Shipped).Get(job.Type).Objects[0].Name(job.TargetDate ?? job.AsOfDate ?? default), 123,
            "public, max-age=300", "1", attempt);

    /// <summary>Every native export activity, as the real worker serves them: the contract's input and result.</summary>
    [Activity(Dynamic = true)]
    public async Task<ExportActivityResult> ExportAsync(IRawValue[] args)
    {
        var input = ActivityExecutionContext.Current.PayloadConverter.ToValue<ExportActivityInput>(args[0]);
        var job = ExportJobs.FromInput(RowsCatalog.Get(input.ExportType), input);
        return ExportJobs.ToResult(await RunAsync(job));
    }

    [Activity(ExportActivityNames.CountActivePredictions)]
    public long CountActivePredictions(DateOnly gameDate)
    {
        Calls.Enqueue(("count", ActivityExecutionContext.Current.Info.Attempt));
        return ActivePredictions;
    }

    [Activity(ExportActivityNames.GetExportConfiguration)]
    public ExportConfiguration GetExportConfiguration()
    {
        Interlocked.Increment(ref ConfigurationCalls);
        return new ExportConfiguration(DisabledTypes, EnabledTypes, ExternalTaskQueue, ExternalScheduleToStart, Store, Warehouse, RowsCatalog);
    }

    /// <summary>The span activity; by default every date of the span succeeds with two documents written.</summary>
    public Func<SpanExportRequest, ActivityExecutionContext, Task<SpanExportResult>>? SpanBehaviour { get; set; }

    public ConcurrentQueue<(string From, string To, int Attempt)> SpanCalls { get; } = new();

    public static SpanExportResult AllWritten(SpanExportRequest request) => new(
        BackfillPlanner.Dates(ExportDates.Parse(request.From, "from"), ExportDates.Parse(request.To, "to"))
            .Select(d => new BackfillDateOutcome(ExportDates.ToText(d), true, request.Types.Count, 0)).ToList());

    [Activity(ExportActivityNames.ExportDateSpan)]
    public Task<SpanExportResult> ExportDateSpanAsync(SpanExportRequest request)
    {
        var context = ActivityExecutionContext.Current;
        SpanCalls.Enqueue((request.From, request.To, context.Info.Attempt));
        return SpanBehaviour is null ? Task.FromResult(AllWritten(request)) : SpanBehaviour(request, context);
    }

    /// <summary>A worker running these activities with the tonight and export workflows on <paramref name="taskQueue"/>.</summary>
    public Temporalio.Worker.TemporalWorker TonightWorker(Temporalio.Client.ITemporalClient client, string taskQueue) =>
        new(client, new Temporalio.Worker.TemporalWorkerOptions(taskQueue).AddAllActivities(this)
            .AddExportWorkflows());

    public int CallsOf(string type) => Calls.Count(c => c.Type == type);

    private Task<ExportedObject> RunAsync(ExportJob job)
    {
        var attempt = ActivityExecutionContext.Current.Info.Attempt;
        Calls.Enqueue((job.Type, attempt));
        return Behaviour.TryGetValue(job.Type, out var behaviour) ? behaviour(job, attempt) : Task.FromResult(Written(job, attempt, RowsCatalog));
    }
}
