using System.Text.RegularExpressions;

namespace ExportFlows.Tests.Hygiene;

/// <summary>
/// Which folder of src/Worker uses a type from which, read from the source: a folder is a namespace
/// (<c>ExportFlows.Worker.Folder</c>), so another folder's type is reached by a <c>using</c> or a qualified name.
/// </summary>
public sealed partial class WorkerFolderGraph
{
    private const string Prefix = "ExportFlows.Worker.";

    private WorkerFolderGraph(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> edges) => Edges = edges;

    /// <summary>Folder → (folder it uses → the first file, relative to the root, that uses it).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Edges { get; }

    public static WorkerFolderGraph Read(string workerRoot)
    {
        var folders = Directory.GetDirectories(workerRoot).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj")).Order(StringComparer.Ordinal).ToList();
        var sources = folders.ToDictionary(f => f, f => Directory.GetFiles(Path.Combine(workerRoot, f), "*.cs", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Select(p => (Path: Path.GetRelativePath(workerRoot, p), Code: WithoutComments(File.ReadAllText(p)))).ToList());
        var declared = folders.ToDictionary(f => f, f => sources[f].SelectMany(s => Declaration().Matches(s.Code).Select(m => m.Groups["name"].Value)).ToHashSet());
        var edges = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        foreach (var from in folders)
        {
            var used = new Dictionary<string, string>();
            foreach (var (path, code) in sources[from])
            {
                foreach (var to in folders.Where(to => to != from && !used.ContainsKey(to) && Uses(code, to, declared[to])))
                {
                    used[to] = path;
                }
            }
            edges[from] = used;
        }
        return new WorkerFolderGraph(edges);
    }

    /// <summary>A cycle as its folders (the first repeated at the end), or null when there is none.</summary>
    public IReadOnlyList<string>? FindCycle()
    {
        var done = new HashSet<string>();
        var path = new List<string>();
        foreach (var start in Edges.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(start, done, path) is { } cycle)
            {
                return cycle;
            }
        }
        return null;
    }

    /// <summary>The cycle written out with the file behind each step, e.g. "Cli → Client (Client/X.cs uses Cli)".</summary>
    public string Describe(IReadOnlyList<string> cycle) => string.Join(", ", cycle.Zip(cycle.Skip(1), (a, b) => $"{a} → {b} ({Edges[a][b]})"));

    private List<string>? Visit(string folder, HashSet<string> done, List<string> path)
    {
        if (path.IndexOf(folder) is var at and >= 0)
        {
            return [.. path.Skip(at), folder];
        }
        if (!done.Add(folder))
        {
            return null;
        }
        path.Add(folder);
        foreach (var next in Edges[folder].Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(next, done, path) is { } cycle)
            {
                return cycle;
            }
        }
        path.RemoveAt(path.Count - 1);
        return null;
    }

    private static bool Uses(string code, string folder, HashSet<string> types) =>
        Regex.IsMatch(code, $@"^\s*(global\s+)?using\s+(static\s+)?(\w+\s*=\s*)?{Regex.Escape(Prefix + folder)}(\.|\s*;)", RegexOptions.Multiline) ||
        Regex.Matches(code, $@"(?<![\w.])({Regex.Escape(Prefix)}|Worker\.)?{Regex.Escape(folder)}\.(?<type>\w+)")
            .Any(m => types.Contains(m.Groups["type"].Value));

    private static string WithoutComments(string code) => Comment().Replace(code, "");

    [GeneratedRegex(@"\b(class|record(\s+(class|struct))?|struct|interface|enum)\s+(?<name>\w+)")]
    private static partial Regex Declaration();

    // Comments name types in prose; strings are left in place (no Worker folder name is followed by a type name in one).
    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();
}
