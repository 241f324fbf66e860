using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Hygiene;

/// <summary>Rules every server test follows, so the suite is green on every run of a real (time-skipping) server.</summary>
public sealed class ServerTestHygieneTests
{
    private static IEnumerable<(string Path, string Text)> TestSources() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, "tests", "ExportFlows.Tests"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => (Path.GetRelativePath(RepositoryFiles.Root, p), File.ReadAllText(p)));

    [Fact]
    public void ServerTests_NoneUsesTheTimeSkippingClient_AllUseThePlainClient()
    {
        var offenders = TestSources()
            .Where(s => !s.Path.EndsWith("TemporalTestServer.cs", StringComparison.Ordinal) && !s.Path.EndsWith("ServerTestHygieneTests.cs", StringComparison.Ordinal))
            .Where(s => s.Text.Contains("TemporalTestServer.Environment", StringComparison.Ordinal))
            .Select(s => s.Path)
            .ToList();

        Assert.Empty(offenders);
        Assert.Contains(TestSources(), s => s.Text.Contains("TemporalTestServer.Client", StringComparison.Ordinal));
    }

    [Fact]
    public void Tests_SettingEnvironmentVariables_RunOutsideTheParallelOnes()
    {
        var setters = TestSources()
            .Where(s => System.Text.RegularExpressions.Regex.IsMatch(s.Text, @"SetEnvironmentVariable\(""[^""]+"", (?!null\))"))
            .ToList();

        Assert.NotEmpty(setters);
        Assert.All(setters, s => Assert.Contains("[Collection(ProcessEnvironmentCollection.Name)]", s.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void ServerTests_NoneSleeps_WaitsAreOnConditions()
    {
        var offenders = TestSources()
            .Where(s => !s.Path.EndsWith("Bounded.cs", StringComparison.Ordinal) && !s.Path.EndsWith("ServerTestHygieneTests.cs", StringComparison.Ordinal))
            .Where(s => s.Text.Contains("Thread.Sleep(", StringComparison.Ordinal))
            .Select(s => s.Path)
            .ToList();

        Assert.Empty(offenders);
    }

    /// <summary>
    /// A tonight workflow's id is its game date; dates drawn at random collide now and then with a parallel test's (or a
    /// lingering run of an earlier suite run): <see cref="UniqueGameDates"/> never hands out one date twice in a run.
    /// </summary>
    [Fact]
    public void ServerTests_GameDates_ComeFromUniqueGameDatesNotRandom()
    {
        var randomDate = new System.Text.RegularExpressions.Regex(@"new DateOnly\((?:[^()]*Random\.Shared|[^()]*\)\.AddDays\(Random\.Shared)");
        var offenders = TestSources()
            .Where(s => !s.Path.EndsWith("ServerTestHygieneTests.cs", StringComparison.Ordinal))
            .Where(s => s.Text.Contains("[TemporalFact]", StringComparison.Ordinal) && randomDate.IsMatch(s.Text))
            .Select(s => s.Path)
            .ToList();

        Assert.Empty(offenders);
        Assert.Matches(randomDate, "new DateOnly(2040, 1, 1).AddDays(Random.Shared.Next(0, 20000))");
        Assert.Matches(randomDate, "new DateOnly(Random.Shared.Next(2001, 2099), 3, 1)");
    }
}
