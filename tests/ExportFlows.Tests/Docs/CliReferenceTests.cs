using System.Text.RegularExpressions;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Cli;

namespace ExportFlows.Tests.Docs;

/// <summary>docs/cli.md is what the command definitions render, and every section is what <c>--help</c> prints.</summary>
public sealed partial class CliReferenceTests
{
    private static string CliPage => DocPages.Page("cli.md");

    [Fact]
    public async Task CliPage_GeneratedPart_SameAsTheCommandDefinitions()
    {
        var generated = (await CliRunner.RunAsync("docs", "cli")).Output;
        var documented = CliReferencePage.GeneratedPartOf(CliPage);

        Assert.True(documented is not null, $"docs/cli.md has no generated part; run `{CliReferencePage.FixCommand}`");
        if (documented != generated)
        {
            Assert.Fail($"docs/cli.md differs from the commands' --help ({FirstDifference(documented, generated)}); run `{CliReferencePage.FixCommand}` and commit the page");
        }
    }

    [Fact]
    public async Task CliPage_EachCommandSection_IsWhatHelpPrints()
    {
        var sections = CommandSection().Matches(CliPage);

        Assert.True(sections.Count >= 10, $"docs/cli.md has {sections.Count} command sections");
        foreach (Match section in sections)
        {
            var path = section.Groups["path"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var help = await CliRunner.RunAsync([.. path, "--help"]);
            Assert.Equal(0, help.ExitCode);
            // Wrapping depends on the terminal's width; the words may not.
            Assert.Equal(Words(help.Output), Words(section.Groups["help"].Value));
        }
    }

    [Fact]
    public async Task CliPage_EveryCommandHelpLists_HasASection()
    {
        var documented = CommandSection().Matches(CliPage).Select(m => m.Groups["path"].Value.Trim()).ToHashSet(StringComparer.Ordinal);
        var pending = new Queue<string>([""]);
        var found = 0;
        while (pending.TryDequeue(out var path))
        {
            Assert.True(documented.Contains(path), $"docs/cli.md has no section for 'exportflows {path}'; run `{CliReferencePage.FixCommand}`");
            found++;
            var help = (await CliRunner.RunAsync([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"])).Output;
            foreach (var sub in Subcommands(help))
            {
                pending.Enqueue((path + " " + sub).Trim());
            }
        }
        Assert.Equal(documented.Count, found);
    }

    [Fact]
    public async Task RootHelp_DocsVerb_IsHidden()
    {
        var help = await CliRunner.RunAsync("--help");

        Assert.DoesNotContain("docs", Subcommands(help.Output));
        Assert.Contains("exportflows [command] [options]", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DocsCli_OutFileWithAHead_KeepsTheHeadAndReplacesTheGeneratedPart()
    {
        using var temp = new TempFolder();
        var page = temp.Sub("cli.md");
        await File.WriteAllTextAsync(page, "# Head\n\nhand-written\n\n" + CliReferencePage.Marker + "\n\nstale\n");

        var result = await CliRunner.RunAsync("docs", "cli", "--out", page);

        Assert.Equal(0, result.ExitCode);
        var written = await File.ReadAllTextAsync(page);
        Assert.StartsWith("# Head\n\nhand-written\n\n" + CliReferencePage.Marker + "\n\n## Synopsis\n", written, StringComparison.Ordinal);
        Assert.DoesNotContain("stale", written, StringComparison.Ordinal);
        Assert.Equal((await CliRunner.RunAsync("docs", "cli")).Output, CliReferencePage.GeneratedPartOf(written));
    }

    [Theory]
    [InlineData("export")]
    [InlineData("worker")]
    [InlineData("setup")]
    [InlineData("backfill")]
    [InlineData("status")]
    [InlineData("sample-data")]
    public async Task Synopsis_Verb_SameOptionsAsHelp(string verb)
    {
        var help = await CliRunner.RunAsync(verb, "--help");

        Assert.Equal(Options(help.Output).Order(), Options(Synopsis(verb)).Order());
    }

    private static string Synopsis(string verb)
    {
        var block = DocPages.Section(CliPage, "Synopsis");
        block = block[(block.IndexOf("```", StringComparison.Ordinal) + 3)..];
        var lines = block[..block.IndexOf("```", StringComparison.Ordinal)].Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith($"exportflows {verb} ", StringComparison.Ordinal) || l == $"exportflows {verb}");
        Assert.True(start >= 0, $"the synopsis in docs/cli.md has no line for '{verb}'");
        return string.Join(" ", lines.Skip(start).TakeWhile((l, i) => i == 0 || l.StartsWith(' ')));
    }

    private static HashSet<string> Options(string text) =>
        OptionName().Matches(text).Select(m => m.Value == "-v" ? "--verbose" : m.Value).Where(o => o != "--help").ToHashSet(StringComparer.Ordinal);

    /// <summary>The names in the "Commands:" part of a help text.</summary>
    private static IEnumerable<string> Subcommands(string help)
    {
        var at = help.IndexOf("\nCommands:\n", StringComparison.Ordinal);
        return at < 0 ? []
            : help[(at + "\nCommands:\n".Length)..].Split('\n').TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))
                .Select(l => l.Trim().Split(' ')[0]).ToList();
    }

    private static string Words(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string FirstDifference(string documented, string generated)
    {
        var left = documented.Split('\n');
        var right = generated.Split('\n');
        var line = Enumerable.Range(0, Math.Max(left.Length, right.Length))
            .First(i => i >= left.Length || i >= right.Length || left[i] != right[i]);
        return $"first at generated line {line + 1}: page has \"{(line < left.Length ? left[line] : "<end>")}\", --help gives \"{(line < right.Length ? right[line] : "<end>")}\"";
    }

    [GeneratedRegex(@"(?<![\w-])(--[a-z][a-z-]*|-v)\b")]
    private static partial Regex OptionName();

    [GeneratedRegex(@"^## exportflows(?<path>[a-z -]*)\n\n```text\n(?<help>.*?)\n```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CommandSection();
}
