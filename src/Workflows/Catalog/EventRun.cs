namespace ExportFlows.Workflows.Catalog;

/// <summary>A row or group an event runs; with <paramref name="When"/>, only when every condition holds (else reported skipped).</summary>
public sealed record EventRun(string Name, IReadOnlyList<EventCondition> When)
{
    public override string ToString() => When.Count == 0 ? Name : $"{Name} when {string.Join(" and ", When)}";
}
