using ExportFlows.Tests.Support;

namespace ExportFlows.Tests.Hygiene;

/// <summary>The folders of src/Worker depend on each other one way only, so each can be read, moved or split on its own.</summary>
public sealed class WorkerFolderDependencyTests
{
    [Fact]
    public void WorkerFolders_NoDependencyCycle()
    {
        var graph = WorkerFolderGraph.Read(RepositoryFiles.PathOf("src", "Worker"));

        var cycle = graph.FindCycle();

        Assert.True(cycle is null, cycle is null ? "" : $"the Worker folders depend on each other in a cycle: {graph.Describe(cycle)}; " +
            "move the type that closes it to the folder its name says");
    }

    [Fact]
    public void WorkerFolders_ReadFromTheSource_ClientUsedByPubSubNotTheOtherWay()
    {
        var graph = WorkerFolderGraph.Read(RepositoryFiles.PathOf("src", "Worker"));

        Assert.Contains("Client", graph.Edges["PubSub"].Keys);
        Assert.DoesNotContain("PubSub", graph.Edges["Client"].Keys);
    }

    [Fact]
    public void FindCycle_TwoFoldersUsingEachOther_NamesTheCycleAndItsFiles()
    {
        var graph = ReadFolders(
            ("Alpha/AlphaThing.cs", "using ExportFlows.Worker.Beta;\nnamespace ExportFlows.Worker.Alpha;\npublic sealed class AlphaThing(BetaThing beta);\n"),
            ("Beta/BetaThing.cs", "namespace ExportFlows.Worker.Beta;\n// Alpha.AlphaThing in a comment is no use\npublic sealed record BetaThing(Alpha.AlphaThing? Alpha);\n"),
            ("Gamma/GammaThing.cs", "using ExportFlows.Worker.Alpha;\nnamespace ExportFlows.Worker.Gamma;\npublic enum GammaThing { One }\n"));

        var cycle = graph.FindCycle();

        Assert.Equal(["Alpha", "Beta", "Alpha"], cycle);
        Assert.Equal($"Alpha → Beta ({Path.Combine("Alpha", "AlphaThing.cs")}), Beta → Alpha ({Path.Combine("Beta", "BetaThing.cs")})", graph.Describe(cycle!));
    }

    [Fact]
    public void FindCycle_OneWayUsesAndCommentsOnly_NoCycle()
    {
        var graph = ReadFolders(
            ("Alpha/AlphaThing.cs", "using ExportFlows.Worker.Beta;\nnamespace ExportFlows.Worker.Alpha;\npublic sealed class AlphaThing(BetaThing beta);\n"),
            ("Beta/BetaThing.cs", "namespace ExportFlows.Worker.Beta;\n/// <summary>Used by Alpha.AlphaThing.</summary>\npublic sealed record BetaThing(int Id);\n"));

        Assert.Null(graph.FindCycle());
        Assert.Equal(["Beta"], graph.Edges["Alpha"].Keys);
        Assert.Empty(graph.Edges["Beta"]);
    }

    /// <summary>The graph of a Worker folder made of <paramref name="files"/> in a fresh temporary directory.</summary>
    private static WorkerFolderGraph ReadFolders(params (string Path, string Text)[] files)
    {
        var root = Directory.CreateTempSubdirectory("exportflows-folders-").FullName;
        try
        {
            foreach (var (path, text) in files)
            {
                var file = Path.Combine(root, path);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, text);
            }
            return WorkerFolderGraph.Read(root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
