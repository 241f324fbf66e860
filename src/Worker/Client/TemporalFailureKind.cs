namespace ExportFlows.Worker.Client;

/// <summary>What a failed signal-with-start means for the caller.</summary>
public enum TemporalFailureKind
{
    /// <summary>"Workflow execution already started": the id's run was starting or closing at that instant; trying again resolves it.</summary>
    StartConflict,

    /// <summary>Temporal cannot take the call now (unreachable, overloaded, deadline): the caller should come back later.</summary>
    Unavailable,

    /// <summary>Temporal answered and refused the call (permissions, namespace, arguments): a configuration problem.</summary>
    Refused,
}
