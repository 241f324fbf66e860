namespace ExportFlows.Tests.Support;

public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "exportflows-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A copy of the warehouse tables (*.csv) of <paramref name="source"/> in the sub-folder <paramref name="name"/>, to change freely.</summary>
    public string CopyOfTables(string source, string name = "warehouse")
    {
        var folder = Sub(name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(source, "*.csv"))
        {
            File.Copy(file, System.IO.Path.Combine(folder, System.IO.Path.GetFileName(file)));
        }
        return folder;
    }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Every file below the folder, relative, with '/' separators.</summary>
    public IReadOnlyList<string> Files(string? under = null)
    {
        var root = under is null ? Path : Sub(under);
        return Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Select(f => System.IO.Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open on a slow runner is left for the OS to clean.
        }
    }
}
