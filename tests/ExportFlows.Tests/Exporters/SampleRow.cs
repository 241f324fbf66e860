using ExportFlows.Activities.Warehouse;

namespace ExportFlows.Tests.Exporters;

/// <summary>One data line of a sample table file, with its values by column (lines without quoted fields only: the sample quotes only descriptions).</summary>
public sealed record SampleRow(string Table, IReadOnlyList<string> Header, string Line)
{
    public string? this[string column]
    {
        get
        {
            var at = Header.ToList().IndexOf(column);
            var values = Line.Split(',');
            return at < 0 || Line.Contains('"', StringComparison.Ordinal) || at >= values.Length ? null : values[at];
        }
    }

    /// <summary>A smaller season for tests that build many times: two models (no ensemble), games from 13 January.</summary>
    public static bool InSmallSeason(SampleRow row) =>
        row["system_id"] != "ensemble_v1" && (row["game_date"] is not { } date || string.CompareOrdinal(date, "2026-01-13") >= 0);

    /// <summary>Whether the row is of the predictions table and its game is in [<paramref name="from"/>, <paramref name="to"/>] (yyyy-MM-dd).</summary>
    public bool IsPredictionBetween(string from, string to) =>
        Table == WarehouseTable.Predictions.QualifiedName && this["game_date"] is { } date
        && string.CompareOrdinal(date, from) >= 0 && string.CompareOrdinal(date, to) <= 0;
}
