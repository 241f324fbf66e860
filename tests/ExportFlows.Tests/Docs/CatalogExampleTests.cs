using System.Text.RegularExpressions;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Cli;

namespace ExportFlows.Tests.Docs;

/// <summary>
/// docs/catalog.md's "adding mlb-predictions" example, done as written in a temporary copy of the repository's layout
/// (<c>my-catalog.toml</c> at the root, <c>workers/python</c> below it): its commands find the edited catalog and
/// print what the page says. The steps that need Temporal or the original code base are run up to that point.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed partial class CatalogExampleTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private static string Example => DocPages.Section(DocPages.Page("catalog.md"), "Example: adding `mlb-predictions`");

    private static string Step(int number)
    {
        var start = Example.IndexOf($"\n{number}. **", StringComparison.Ordinal);
        var end = Example.IndexOf($"\n{number + 1}. **", start + 1, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no step {number}");
        return end < 0 ? Example[start..] : Example[start..end];
    }

    private static string Unindented(string block) => string.Join('\n', block.Split('\n').Select(l => l.StartsWith("   ", StringComparison.Ordinal) ? l[3..] : l));

    /// <summary>The repository copy with step 1's row (and, with <paramref name="schedule"/>, step 4's schedule) in my-catalog.toml.</summary>
    private string Repository(bool schedule)
    {
        var blocks = TomlBlock().Matches(Example).Select(m => Unindented(m.Groups["body"].Value)).ToList();
        Assert.Equal(2, blocks.Count);
        Directory.CreateDirectory(_temp.Sub(Path.Combine("workers", "python")));
        File.WriteAllText(_temp.Sub("my-catalog.toml"), CatalogFiles.Shipped + "\n" + blocks[0] + (schedule ? "\n" + blocks[1] : ""));
        return _temp.Path;
    }

    private static string[] Args(string command, string root) =>
        command["exportflows ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a == "my-catalog.toml" ? Path.Combine(root, a) : a == "HOST:PORT" ? "127.0.0.1:1" : a).ToArray();

    private static List<string> Commands(string text) => InlineCommand().Matches(text).Select(m => m.Groups["command"].Value).ToList();

    [Fact]
    public async Task Step2_CheckAndShow_PrintWhatThePageQuotes()
    {
        var root = Repository(schedule: false);
        var quotes = InlineCode().Matches(Step(2)).Select(m => m.Groups["code"].Value).ToList();
        var commands = Commands(Step(2));

        var check = await CliRunner.RunAsync(Args(commands.Single(c => c.StartsWith("exportflows catalog check", StringComparison.Ordinal)), root));
        var show = await CliRunner.RunAsync(Args(commands.Single(c => c.StartsWith("exportflows catalog show", StringComparison.Ordinal)), root));

        Assert.Equal(ExitCodes.Success, check.ExitCode);
        var summary = quotes.Single(q => q.StartsWith("my-catalog.toml: valid;", StringComparison.Ordinal));
        Assert.Matches("^" + Regex.Escape(summary).Replace("…", "[0-9a-f]{16}", StringComparison.Ordinal) + "$",
            check.Output.Trim().Replace(Path.Combine(root, "my-catalog.toml"), "my-catalog.toml", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Success, show.ExitCode);
        Assert.Contains(quotes.Single(q => q.StartsWith("call ", StringComparison.Ordinal))["call ".Length..], show.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step2_RequestValueMisnamed_TheQuotedErrorAndExitTwo()
    {
        var root = Repository(schedule: false);
        var file = Path.Combine(root, "my-catalog.toml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("kwargs = { game_date = \"target_date\" }", "kwargs = { game_date = \"game_date\" }", StringComparison.Ordinal));
        var quoted = InlineCode().Matches(Step(2)).Select(m => m.Groups["code"].Value).Single(q => q.Contains("is no request value", StringComparison.Ordinal));

        var check = await CliRunner.RunAsync("catalog", "check", file);

        Assert.Equal(ExitCodes.InvalidInput, check.ExitCode);
        // The line depends on where the row is pasted; the rest is word for word up to the page's "…".
        var message = Regex.Replace(quoted, @"^my-catalog\.toml:\d+: ", "").Split('…')[0];
        Assert.Matches(Regex.Escape(file) + @":\d+: " + Regex.Escape(message), check.Output + check.Error);
    }

    [Fact]
    public void Step3_PythonCatalogPath_ResolvesFromTheFolderItRunsIn()
    {
        var root = Repository(schedule: false);
        var lines = BashBlock().Match(Step(3)).Groups["body"].Value.Split('\n').Select(l => Regex.Replace(l, @"\s+#.*$", "").Trim()).Where(l => l.Length > 0).ToList();
        var folder = root;
        string? catalog = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("cd ", StringComparison.Ordinal))
            {
                folder = Path.GetFullPath(Path.Combine(folder, line[3..]));
            }
            else if (Regex.Match(line, @"--catalog (?<path>\S+)") is { Success: true } match)
            {
                catalog = Path.GetFullPath(Path.Combine(folder, match.Groups["path"].Value));
            }
        }

        Assert.Equal(Path.Combine(root, "workers", "python"), folder);
        Assert.Equal(Path.Combine(root, "my-catalog.toml"), catalog);
        Assert.True(File.Exists(catalog));
    }

    [Fact]
    public async Task Step5_CommandsOfTheShell_NameTheEditedCatalogAndFindTheNewRow()
    {
        var root = Repository(schedule: true);
        var commands = Commands(Step(5));
        Environment.SetEnvironmentVariable("ExportFlows__EnabledTypes", "subset-all,mlb-predictions");
        Environment.SetEnvironmentVariable("ExportFlows__Store", "dir:" + _temp.Sub("out"));
        try
        {
            Assert.All(commands, c => Assert.Contains("--catalog my-catalog.toml", c, StringComparison.Ordinal));
            var export = await CliRunner.RunAsync(Args(commands.Single(c => c.StartsWith("exportflows export", StringComparison.Ordinal)), root));
            var status = await CliRunner.RunAsync(Args(commands.Single(c => c.StartsWith("exportflows status", StringComparison.Ordinal)), root));

            // Past the request's validation (mlb-predictions is known), stopped only by the unreachable HOST:PORT.
            Assert.Equal(ExitCodes.TemporalUnavailable, export.ExitCode);
            Assert.DoesNotContain("unknown export type", export.Error, StringComparison.Ordinal);
            Assert.Contains("v1/mlb/predictions/", status.Output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ExportFlows__EnabledTypes", null);
            Environment.SetEnvironmentVariable("ExportFlows__Store", null);
        }
    }

    [Fact]
    public async Task MovingSubsetPicks_RowAsWritten_ValidatesAndShowsExternal()
    {
        var moving = DocPages.Section(DocPages.Page("catalog.md"), "Example: moving `subset-picks` to external and back");
        var row = Unindented(TomlBlock().Match(moving).Groups["body"].Value);
        // Step 1 as the page says: the row's head replaced by the block; its policy table stays.
        var file = CatalogFiles.Write(_temp, "moved.toml", CatalogFiles.ShippedWith(("""
            [types.subset-picks]
            kind = "native"
            implementation = "subset-picks"
            date = "target"
            objects = [{ path = "v1/picks/{date}.json", cache_control = "public, max-age=300" }]

            """, row + "\n")));

        var check = await CliRunner.RunAsync("catalog", "check", file);
        var show = await CliRunner.RunAsync("catalog", "show", "--catalog", file);

        Assert.True(check.ExitCode == ExitCodes.Success, check.Output + check.Error);
        Assert.Contains("subset-picks  external", show.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    [GeneratedRegex("```toml\n(?<body>.*?)\n *```", RegexOptions.Singleline)]
    private static partial Regex TomlBlock();

    [GeneratedRegex("```bash\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    [GeneratedRegex("`(?<command>exportflows [^`]+)`")]
    private static partial Regex InlineCommand();

    [GeneratedRegex("`(?<code>[^`\n]+)`")]
    private static partial Regex InlineCode();
}
