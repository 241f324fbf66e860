namespace ExportFlows.Worker.Engines;

/// <summary>A waited-for run was interrupted; the message says whether its workflow was cancelled or left running. Exit 130.</summary>
public sealed class RunInterruptedException(string message) : Exception(message);
