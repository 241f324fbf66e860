namespace ExportFlows.Workflows.Events;

/// <summary>Whether one row or group of an event runs for a message, and why (a skip names the false condition).</summary>
public sealed record EventRunDecision(string Name, bool Runs, string Reason);
