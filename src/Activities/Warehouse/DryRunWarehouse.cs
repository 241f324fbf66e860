using ExportFlows.Workflows.Contracts;

namespace ExportFlows.Activities.Warehouse;

/// <summary>
/// BigQuery in estimate mode: every query is sent as a dry run (free, nothing runs) and answers no rows; the bytes it
/// would process are recorded on the current <see cref="ExportCostMeter"/> as bytes processed. Exporters built on it
/// issue exactly the queries of a real run (on the same dates), so their sum is the run's estimate.
/// </summary>
public sealed class DryRunWarehouse(BigQueryWarehouse bigQuery) : IWarehouse
{
    public string Description => bigQuery.Description + " (dry run)";

    public string Identity => bigQuery.Identity;

    public async Task<IReadOnlyList<WarehouseRow>> QueryAsync(WarehouseQuery query, CancellationToken cancellationToken = default)
    {
        var bytes = await bigQuery.EstimateBytesAsync(query, cancellationToken);
        ExportCostMeter.Record(new ExportCost(ExportCost.BigQuery, 1, 0, BytesProcessed: bytes));
        return [];
    }

    public Task VerifyTablesAsync(IEnumerable<WarehouseTable> tables, CancellationToken cancellationToken = default) =>
        bigQuery.VerifyTablesAsync(tables, cancellationToken);

    public Task<DateTimeOffset?> GetLastModifiedAsync(WarehouseTable table, CancellationToken cancellationToken = default) =>
        bigQuery.GetLastModifiedAsync(table, cancellationToken);
}
