using System.Net;
using System.Text.RegularExpressions;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Activities.Google;

/// <summary>
/// Google's naming rules for the identifiers configuration supplies. They are checked before any request, because they
/// are pasted into API paths and, for BigQuery, into SQL table references: a name outside the rules is refused there.
/// </summary>
public static partial class GoogleResourceNames
{
    /// <summary>A project id (6–30 of a–z, 0–9, '-'; starts with a letter), optionally with a legacy <c>domain:</c> prefix.</summary>
    public static string Project(string value, string setting)
    {
        if (ProjectPattern().IsMatch(value))
        {
            return value;
        }
        throw Invalid(setting, value, "a Google Cloud project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen");
    }

    /// <summary>A Cloud Storage bucket name: 3–63 characters (222 with dots, 63 per dot-separated part) of a–z, 0–9, '-', '_', '.'.</summary>
    public static string Bucket(string value, string setting)
    {
        const string rule = "a Cloud Storage bucket name: 3 to 63 lowercase letters, digits, '-', '_' or '.' (up to 222 with dots), starting and ending with a letter or digit";
        var parts = value.Split('.');
        if (!BucketPattern().IsMatch(value) || value.Length > (parts.Length > 1 ? 222 : 63) || parts.Any(p => p.Length is 0 or > 63) ||
            IPAddress.TryParse(value, out _) || value.StartsWith("goog", StringComparison.Ordinal) || value.Contains("google", StringComparison.Ordinal))
        {
            throw Invalid(setting, value, rule);
        }
        return value;
    }

    /// <summary>A BigQuery location such as <c>US</c> or <c>europe-west1</c>.</summary>
    public static string Location(string value, string setting) =>
        LocationPattern().IsMatch(value) ? value : throw Invalid(setting, value, "a BigQuery location such as US, EU or us-central1");

    private static InvalidExportRequestException Invalid(string setting, string value, string rule)
    {
        var shown = value.Length > 60 ? value[..60] + "…" : value;
        return new InvalidExportRequestException($"invalid {setting} '{shown}': expected {rule}");
    }

    [GeneratedRegex(@"^([a-z0-9][a-z0-9.-]{0,61}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$")]
    private static partial Regex ProjectPattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$")]
    private static partial Regex BucketPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9-]{1,30}$")]
    private static partial Regex LocationPattern();
}
