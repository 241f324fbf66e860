using System.Text.RegularExpressions;
using Tomlyn.Syntax;

namespace ExportFlows.Workflows.Catalog;

/// <summary>
/// The TOML parser's diagnostics as catalog errors. A key or table written twice names the key; any other syntax error
/// is reported at its first occurrence only, since everything after a broken string or bracket is misread (an
/// unterminated string alone yields one diagnostic per following line).
/// </summary>
internal static partial class CatalogSyntaxErrors
{
    public const string Key = "(syntax)";

    public static IReadOnlyList<CatalogError> From(string source, IEnumerable<DiagnosticMessage> diagnostics)
    {
        var errors = diagnostics.Where(d => d.Kind == DiagnosticMessageKind.Error)
            .OrderBy(d => d.Span.Start.Line).ThenBy(d => d.Span.Start.Column).ToList();
        var result = new List<CatalogError>();
        foreach (var error in errors)
        {
            var line = error.Span.Start.Line + 1;
            if (Redefined().Match(error.Message) is { Success: true } twice)
            {
                var key = twice.Groups["key"].Value;
                // A table written twice also redefines each of its keys: the table is the error.
                if (!result.Any(e => key.StartsWith(e.Key + ".", StringComparison.Ordinal)))
                {
                    result.Add(new CatalogError(source, line, key, $"is written twice (first at line {twice.Groups["line"].Value}): keep one and merge the two"));
                }
            }
            else if (!result.Any(e => e.Key == Key))
            {
                result.Add(new CatalogError(source, line, Key, error.Message));
            }
        }
        return result;
    }

    [GeneratedRegex(@"^The key `(?<key>[^`]+)` is already defined at \((?<line>\d+),\d+\)")]
    private static partial Regex Redefined();
}
