using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Docs;

/// <summary>The README is a short front door to every docs page, and no link of the documentation is dead.</summary>
public sealed class DocumentationTests
{
    private static readonly string Readme = DocPages.Read(DocPages.ReadmePath);

    [Fact]
    public void Documentation_StandsAlone_NoPathOutsideTheRepository()
    {
        foreach (var file in DocPages.AllPaths)
        {
            Assert.DoesNotContain("../shared", File.ReadAllText(file), StringComparison.Ordinal);
            Assert.DoesNotContain("/work/shared", File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Readme_EveryDocsPage_IsLinked()
    {
        var linked = DocPages.RelativeLinks(Readme).Select(l => l.Target).ToHashSet(StringComparer.Ordinal);

        Assert.All(DocPages.DocsPaths, path => Assert.Contains($"docs/{Path.GetFileName(path)}", linked));
    }

    [Fact]
    public void Documentation_EveryRelativeLink_LeadsToAFileAndHeading()
    {
        foreach (var page in DocPages.AllPaths)
        {
            foreach (var (target, anchor) in DocPages.RelativeLinks(DocPages.Read(page)))
            {
                var file = target.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, target));
                Assert.True(File.Exists(file) || Directory.Exists(file), $"{Path.GetFileName(page)} links to {target}, which does not exist");
                if (anchor is not null && file.EndsWith(".md", StringComparison.Ordinal))
                {
                    Assert.True(DocPages.Anchors(DocPages.Read(file)).Contains(anchor), $"{Path.GetFileName(page)} links to {target}#{anchor}: no such heading");
                }
            }
        }
    }

    [Fact]
    public void Readme_Length_AtMost200Lines()
    {
        var lines = Readme.TrimEnd('\n').Split('\n').Length;

        Assert.True(lines <= 200, $"README.md has {lines} lines; move detail into docs/");
    }

    [Fact]
    public void Readme_Top_TheTwoCommandsCiRuns()
    {
        var lines = Readme.Split('\n');
        const string testCommand = "dotnet test ExportFlows.sln --logger \"console;verbosity=normal\"";

        Assert.Equal("```bash", lines[2]);
        Assert.StartsWith("dotnet run --project src/Worker -- export --date 2026-02-03 --as-of 2026-02-03", lines[3], StringComparison.Ordinal);
        Assert.StartsWith(testCommand + " ", lines[4], StringComparison.Ordinal);
        Assert.Contains(testCommand + " ", File.ReadAllText(RepositoryFiles.PathOf(".ci", "run")), StringComparison.Ordinal);
    }
}
