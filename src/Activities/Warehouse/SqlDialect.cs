using System.Text.RegularExpressions;

namespace ExportFlows.Activities.Warehouse;

/// <summary>
/// Every difference between BigQuery SQL and DuckDB SQL that the exporters' queries meet, in one place.
/// Queries are written once with <c>{dataset.table}</c> table references and <c>@name</c> parameters;
/// everything else they use (CTEs, ROW_NUMBER() OVER, QUALIFY, CASE, BETWEEN, IN) means the same in both.
/// </summary>
public abstract partial class SqlDialect
{
    public static SqlDialect BigQuery(string project) => new BigQueryDialect(project);

    public static SqlDialect DuckDb { get; } = new DuckDbDialect();

    public string Render(WarehouseQuery query)
    {
        var sql = TableReference().Replace(query.Sql, m => Table(m.Groups["dataset"].Value, m.Groups["table"].Value));
        return ParameterReference().Replace(sql, m => Parameter(m.Groups["name"].Value));
    }

    protected abstract string Table(string dataset, string table);

    protected abstract string Parameter(string name);

    [GeneratedRegex(@"\{(?<dataset>[A-Za-z_][A-Za-z0-9_]*)\.(?<table>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex TableReference();

    [GeneratedRegex(@"@(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterReference();

    private sealed class BigQueryDialect(string project) : SqlDialect
    {
        // The project is validated by configuration (GoogleResourceNames); refuse anything that could close the quotes all the same.
        protected override string Table(string dataset, string table) => project.Contains('`', StringComparison.Ordinal) || project.Contains('\\', StringComparison.Ordinal)
            ? throw new ArgumentException($"project '{project}' cannot be quoted in BigQuery SQL")
            : $"`{project}.{dataset}.{table}`";

        protected override string Parameter(string name) => "@" + name;
    }

    private sealed class DuckDbDialect : SqlDialect
    {
        // Each table file is registered as a view in a schema named after its dataset.
        protected override string Table(string dataset, string table) => $"\"{dataset}\".\"{table}\"";

        protected override string Parameter(string name) => "$" + name;
    }
}
