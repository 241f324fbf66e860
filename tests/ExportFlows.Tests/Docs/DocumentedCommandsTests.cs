using System.Text.RegularExpressions;
using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Docs;

/// <summary>
/// The commands a new user types first, from README.md and getting-started.md, run as written on the embedded sample
/// with today's clock (whatever today is), in process. Commands that need a Temporal server or Google are left out.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed partial class DocumentedCommandsTests : IDisposable
{
    private const string DotnetRun = "dotnet run --project src/Worker -- ";

    private readonly TempFolder _temp = new();

    private static string FirstSection(string page) => page[..page.IndexOf("\n## ", StringComparison.Ordinal)];

    private static string TourStep(string readme, int step)
    {
        var start = readme.IndexOf($"\n**{step}. ", StringComparison.Ordinal);
        var end = readme.IndexOf($"\n**{step + 1}. ", start + 1, StringComparison.Ordinal);
        return readme[start..end];
    }

    /// <summary>The commands of the page's text: each line of a bash block, comments dropped, with <c>cat FILE</c> lines kept.</summary>
    public static IEnumerable<string> Commands(string text) =>
        BashBlock().Matches(text).SelectMany(m => m.Groups["body"].Value.Split('\n'))
            .Select(l => Regex.Replace(l, @"\s+#.*$", "").Trim())
            .Where(l => l.StartsWith("exportflows ", StringComparison.Ordinal) || l.StartsWith(DotnetRun, StringComparison.Ordinal) || l.StartsWith("cat ", StringComparison.Ordinal));

    private static IReadOnlyList<string> InProcessCommands()
    {
        var readme = DocPages.Read(DocPages.ReadmePath);
        var started = DocPages.Page("getting-started.md");
        return Commands(FirstSection(readme))
            .Concat(Commands(TourStep(readme, 1)))
            .Concat(Commands(DocPages.Section(started, "The first export")))
            .ToList();
    }

    [Fact]
    public void Commands_FirstSectionTourAndFirstExport_AllFound()
    {
        var commands = InProcessCommands();

        Assert.Equal(5, commands.Count);
        Assert.Contains(commands, c => c.StartsWith("cat out/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DocumentedCommands_OnTheEmbeddedSampleToday_ExitZeroAsWritten()
    {
        var store = _temp.Sub("out");
        Environment.SetEnvironmentVariable("ExportFlows__SampleDataCache", _temp.Sub("sample"));
        Environment.SetEnvironmentVariable("ExportFlows__Store", "dir:" + store);
        try
        {
            // Also the commands a user tries next: a bare export, and the date the no-predictions warning suggests.
            foreach (var command in InProcessCommands().Append("exportflows export").Append("exportflows export --date 2026-02-03"))
            {
                if (command.StartsWith("cat ", StringComparison.Ordinal))
                {
                    var file = Path.Combine(store, command["cat out/".Length..]);
                    Assert.True(File.Exists(file), $"{command}: no such file after the commands before it");
                    continue;
                }
                var args = (command.StartsWith(DotnetRun, StringComparison.Ordinal) ? command[DotnetRun.Length..] : command["exportflows ".Length..])
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
                if (args[0] == "export" && !args.Contains("--in-process"))
                {
                    args.Add("--in-process"); // the same activities the embedded dev server would run, without downloading it
                }

                var result = await CliRunner.RunAsync([.. args]);

                Assert.True(result.ExitCode == 0, $"{command}: exit {result.ExitCode}\n{result.Output}\n{result.Error}");
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("ExportFlows__SampleDataCache", null);
            Environment.SetEnvironmentVariable("ExportFlows__Store", null);
        }
    }

    [Fact]
    public void DocumentedCommands_ExportOnTemporal_NameTheAsOfDate()
    {
        var readme = DocPages.Read(DocPages.ReadmePath);
        var started = DocPages.Page("getting-started.md");
        var onTemporal = Commands(readme).Concat(Commands(started))
            .Where(c => c.Contains(" export ", StringComparison.Ordinal) && c.Contains("--temporal", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(onTemporal);
        // The worker's warehouse decides there; on the sample, today's performance document would be empty.
        Assert.All(onTemporal, c => Assert.Contains("--as-of 2026-", c, StringComparison.Ordinal));
    }

    public void Dispose() => _temp.Dispose();

    [GeneratedRegex("```bash\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
