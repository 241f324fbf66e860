namespace ExportFlows.Activities.Storage;

/// <summary>
/// Resolves the symbolic links on a store path, each folder on the way and the file itself, so that the folder store
/// never reads or writes outside its root; links that stay inside the root are followed.
/// </summary>
public static class StoreLinks
{
    /// <summary>As Linux's limit on links followed in one lookup (ELOOP).</summary>
    private const int MaxLinks = 40;

    /// <summary>
    /// Throws <see cref="StoreLinkOutsideRootException"/> naming the link when <paramref name="path"/>, a path below
    /// <paramref name="root"/> by its name, resolves to a place outside the root's real location.
    /// </summary>
    public static void EnsureInside(string root, string path)
    {
        var realRoot = RealPath(root);
        var logical = root;
        var real = realRoot;
        foreach (var segment in Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar))
        {
            logical = Path.Combine(logical, segment);
            var next = Path.Combine(real, segment);
            if (LinkTarget(next) is not { } target)
            {
                if (!Path.Exists(next))
                {
                    return; // nothing below a missing folder exists yet, so nothing there is a link
                }
                real = next;
                continue;
            }
            real = RealPath(next);
            if (!IsInside(realRoot, real))
            {
                throw new StoreLinkOutsideRootException(
                    $"store path {path} leaves the store root {root}: {logical} is a symbolic link to {target}; " +
                    "remove the link or point it to a place inside the store");
            }
        }
    }

    /// <summary>The path with every symbolic link on it resolved, as the kernel would; missing parts are kept as they are.</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var top = Path.GetPathRoot(full)!;
        var pending = new Stack<string>(Segments(full[top.Length..]).Reverse());
        var current = top;
        var followed = 0;
        while (pending.TryPop(out var segment))
        {
            if (segment == ".")
            {
                continue;
            }
            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            var next = Path.Combine(current, segment);
            if (LinkTarget(next) is not { } target)
            {
                current = next;
                continue;
            }
            if (++followed > MaxLinks)
            {
                throw new StoreLinkOutsideRootException($"store path {path}: more than {MaxLinks} symbolic links to follow (a loop?); remove the looping link");
            }
            var targetRoot = Path.GetPathRoot(target);
            if (!string.IsNullOrEmpty(targetRoot))
            {
                current = targetRoot;
            }
            foreach (var part in Segments(target[(targetRoot?.Length ?? 0)..]).Reverse())
            {
                pending.Push(part);
            }
        }
        return current;
    }

    public static bool IsInside(string realRoot, string realPath) =>
        realPath == realRoot || realPath.StartsWith(Path.EndsInDirectorySeparator(realRoot) ? realRoot : realRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string? LinkTarget(string path) => new FileInfo(path).LinkTarget;

    private static string[] Segments(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
