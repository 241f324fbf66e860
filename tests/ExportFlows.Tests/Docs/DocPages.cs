using System.Text.RegularExpressions;
using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Docs;

/// <summary>The repository's documentation pages: their text, sections, tables, links and heading anchors.</summary>
public static partial class DocPages
{
    public static string ReadmePath => RepositoryFiles.PathOf("README.md");

    public static IReadOnlyList<string> DocsPaths => Directory.GetFiles(RepositoryFiles.PathOf("docs"), "*.md").Order(StringComparer.Ordinal).ToList();

    public static IEnumerable<string> AllPaths => DocsPaths.Prepend(ReadmePath);

    public static string Read(string path) => File.ReadAllText(path).ReplaceLineEndings("\n");

    public static string Page(string name) => Read(RepositoryFiles.PathOf("docs", name));

    /// <summary>The text of the <c>## heading</c> section (up to the next heading of level two or less).</summary>
    public static string Section(string page, string heading)
    {
        var start = page.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section '## {heading}'");
        var end = page.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? page[start..] : page[start..end];
    }

    /// <summary>The cells of every table row in <paramref name="text"/> (header and separator rows left out).</summary>
    public static IEnumerable<string[]> TableRows(string text)
    {
        var rows = text.Split('\n').Where(l => l.StartsWith('|')).Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray()).ToList();
        return rows.Where((row, i) => !row.All(c => c.Trim('-', ':').Length == 0) && !(i + 1 < rows.Count && rows[i + 1].All(c => c.Trim('-', ':').Length == 0)));
    }

    public static string Unquoted(string cell) => cell.Trim('`');

    /// <summary>Every <c>[text](target)</c> link that is not a web address, as (path, anchor) relative to the page's folder.</summary>
    public static IEnumerable<(string Target, string? Anchor)> RelativeLinks(string page) =>
        Link().Matches(StripCode(page)).Select(m => m.Groups["target"].Value)
            .Where(t => !t.Contains("://", StringComparison.Ordinal) && !t.StartsWith("mailto:", StringComparison.Ordinal))
            .Select(t => t.Split('#', 2) is [var path, var anchor] ? (path, (string?)anchor) : (t, null));

    /// <summary>The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    public static IReadOnlySet<string> Anchors(string page) =>
        StripCode(page).Split('\n').Where(l => l.StartsWith('#')).Select(l => Slug(l.TrimStart('#').Trim())).ToHashSet(StringComparer.Ordinal);

    private static string Slug(string heading) =>
        string.Concat(heading.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')).Replace(' ', '-');

    /// <summary>The page without its fenced code blocks, whose lines are neither headings nor links.</summary>
    private static string StripCode(string page) => Fence().Replace(page, "");

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();
}
