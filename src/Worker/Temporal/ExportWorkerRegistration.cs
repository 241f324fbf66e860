using ExportFlows.Activities;
using ExportFlows.Workflows.Orchestration;
using Temporalio.Worker;

namespace ExportFlows.Worker.Temporal;

/// <summary>The workflows and activities every ExportFlows worker registers.</summary>
public static class ExportWorkerRegistration
{
    /// <summary>The longest a heartbeat (and a cancellation answered by it) waits before it is sent.</summary>
    public static readonly TimeSpan HeartbeatThrottle = TimeSpan.FromSeconds(10);

    public static TemporalWorkerOptions Apply(TemporalWorkerOptions options, ExportActivities activities)
    {
        options.MaxHeartbeatThrottleInterval = HeartbeatThrottle;
        return options.AddAllActivities(activities).AddExportWorkflows();
    }
}
