using System.Globalization;
using System.Text.RegularExpressions;

namespace ExportFlows.Workflows.Catalog;

/// <summary>The catalog's duration form (<c>90s</c>, <c>5m</c>, <c>1h30m</c>): one parser for the catalog and the settings.</summary>
public static partial class CatalogDuration
{
    /// <summary>Examples of the form, for error messages.</summary>
    public const string Examples = "\"90s\", \"5m\", \"1h30m\"";

    /// <summary>Hours, minutes and seconds in that order, each optional but not all absent; no range check.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || Pattern().Match(text) is not { Success: true } match)
        {
            return false;
        }
        long Part(string group) => match.Groups[group].Success ? long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        duration = TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
        return true;
    }

    [GeneratedRegex(@"^(?:(?<h>\d{1,4})h)?(?:(?<m>\d{1,5})m)?(?:(?<s>\d{1,6})s)?$")]
    private static partial Regex Pattern();
}
