using System.Globalization;
using System.Text;

namespace ExportFlows.Activities.Sample;

/// <summary>Writes a table file in the local warehouse format: header row, empty field = NULL, true/false, YYYY-MM-DD.</summary>
public sealed class CsvTableWriter(IReadOnlyList<string> columns)
{
    private readonly StringBuilder _text = new(string.Join(',', columns) + "\n");

    public int Rows { get; private set; }

    public void Add(params object?[] values)
    {
        if (values.Length != columns.Count)
        {
            throw new ArgumentException($"expected {columns.Count} values, got {values.Length}");
        }
        _text.AppendJoin(',', values.Select(Format)).Append('\n');
        Rows++;
    }

    public void Save(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, _text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, path, overwrite: true);
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        double f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s when s.IndexOfAny([',', '"', '\n', '\r']) >= 0 => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        var other => other.ToString() ?? "",
    };
}
