using System.Collections.Concurrent;
using System.Text.Json;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;
using Temporalio.Activities;
using Temporalio.Client;
using Temporalio.Converters;
using Temporalio.Worker;

namespace ExportFlows.Tests.Support;

/// <summary>
/// A stand-in for the worker of the original exporters: one dynamic activity that answers every <c>Export…</c> name on
/// its own task queue, reading and returning the contract as raw JSON (no .NET contract type involved), as a worker in
/// another language does.
/// </summary>
public sealed class FakeExternalExporters
{
    public ConcurrentQueue<(string Activity, int Attempt, JsonElement Input)> Calls { get; } = new();

    /// <summary>Per export type: the answer to one attempt (input, attempt, context).</summary>
    public Dictionary<string, Func<JsonElement, int, ActivityExecutionContext, Task<JsonElement>>> Behaviour { get; } = new(StringComparer.Ordinal);

    /// <summary>The contract's result: one object per name.</summary>
    public static JsonElement Written(string type, params string[] names) => JsonSerializer.SerializeToElement(new Dictionary<string, object?>
    {
        ["export_type"] = type,
        ["objects"] = names.Select(n => new Dictionary<string, object?> { ["name"] = n, ["bytes"] = 100, ["generation"] = null }).ToList(),
        ["skipped_reason"] = null,
    });

    /// <summary>The catalog whose rows the default answers name objects of (the worker's copy of the file; default the shipped one).</summary>
    public ExportCatalog? Catalog { get; set; }

    /// <summary>
    /// What the Python worker answers for a str return: the row's first object for the request's date (a player's file in
    /// a folder, the date's folder if dated); for a step (no objects), a result without objects.
    /// </summary>
    public static JsonElement DefaultResult(JsonElement input, ExportCatalog? catalog = null)
    {
        var type = input.GetProperty("export_type").GetString()!;
        var row = (catalog ?? ExportCatalog.Shipped).Get(type);
        if (row.IsStep)
        {
            return Written(type);
        }
        var first = row.Objects[0];
        var date = ExportDates.Parse(input.GetProperty("target_date").GetString()!, "target_date");
        return Written(type, first.Kind == ExportObjectKind.PerPlayer ? first.Name(date) + "player001.json" : first.Name(date));
    }

    public int CallsOf(string activity) => Calls.Count(c => c.Activity == activity);

    /// <summary>Per export type: the answer as JSON text, sent as is (what a worker in another language may send and .NET would not write, e.g. a lone surrogate escape).</summary>
    public Dictionary<string, string> RawAnswers { get; } = new(StringComparer.Ordinal);

    [Activity(Dynamic = true)]
    public async Task<IRawValue> ExportAsync(IRawValue[] args)
    {
        var context = ActivityExecutionContext.Current;
        var input = context.PayloadConverter.ToValue<JsonElement>(args[0].Payload);
        var attempt = context.Info.Attempt;
        Calls.Enqueue((context.Info.ActivityType, attempt, input.Clone()));
        var type = input.GetProperty("export_type").GetString()!;
        if (RawAnswers.TryGetValue(type, out var raw))
        {
            return new RawValue(ContractFixtures.JsonPayload(raw));
        }
        var answer = Behaviour.TryGetValue(type, out var behaviour) ? await behaviour(input, attempt, context) : DefaultResult(input, Catalog);
        return new RawValue(context.PayloadConverter.ToPayload(answer));
    }

    public TemporalWorker Worker(ITemporalClient client, string taskQueue) => new(client, new TemporalWorkerOptions(taskQueue).AddAllActivities(this));
}
