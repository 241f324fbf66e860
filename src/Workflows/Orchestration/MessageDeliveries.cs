namespace ExportFlows.Workflows.Orchestration;

/// <summary>Push deliveries (with a delivery id, e.g. a Pub/Sub messageId) a workflow received, and redeliveries it ignored.</summary>
public sealed record MessageDeliveries(int Received, int Duplicates);
