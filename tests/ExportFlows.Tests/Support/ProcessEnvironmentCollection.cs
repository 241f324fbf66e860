namespace ExportFlows.Tests.Support;

/// <summary>
/// Tests that set process environment variables (read by the CLI's configuration) run in this collection: alone, after
/// the parallel ones, so no other test sees their variables.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process environment";
}
