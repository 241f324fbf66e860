using System.Diagnostics;

namespace ExportFlows.Tests.Storage;

/// <summary>
/// A small tmpfs mounted on a temporary folder, to fail writes the way a real read-only or full volume does. Needs
/// Linux and the right to mount (root, as in a container); otherwise tests using it are skipped with the reason.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    public const int PageSize = 4096;

    private static readonly Lazy<string?> Unavailable = new(Probe);

    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    public static string? SkipReason => Unavailable.Value;

    public static TmpfsMount Create(int pages = 64)
    {
        var path = NewFolder();
        Mount("-t", "tmpfs", "-o", $"size={pages * PageSize},mode=0755", "tmpfs", path);
        return new TmpfsMount(path);
    }

    public void RemountReadOnly() => Mount("-o", "remount,ro", Path);

    /// <summary>Fills the volume, then frees exactly <paramref name="pages"/> pages.</summary>
    public void FillLeaving(int pages)
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var page = new byte[PageSize];
        try
        {
            while (true)
            {
                stream.Write(page);
            }
        }
        catch (IOException)
        {
            // Full.
        }
        var used = (stream.Length + PageSize - 1) / PageSize;
        stream.SetLength(Math.Max(0, used - pages) * PageSize);
    }

    public void Dispose()
    {
        Run("umount", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Still mounted (busy): left for the OS to clean.
        }
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux to mount a tmpfs";
        }
        var path = NewFolder();
        try
        {
            var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={PageSize * 4}", "tmpfs", path);
            if (code != 0)
            {
                return $"mounting a tmpfs is not permitted here ({error.Trim()}); run as root (e.g. in a container) to test a real read-only and full store";
            }
            Run("umount", path);
            return null;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"no mount command ({ex.Message})";
        }
        finally
        {
            Directory.Delete(path);
        }
    }

    private static string NewFolder()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "exportflows-tests", "tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static void Mount(params string[] arguments)
    {
        var (code, error) = Run("mount", arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"mount {string.Join(' ', arguments)}: {error}");
        }
    }

    private static (int Code, string Error) Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}

/// <summary>A test that needs <see cref="TmpfsMount"/>; skipped, with the reason, where mounting is not permitted.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (TmpfsMount.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
