namespace ExportFlows.Activities.Storage;

/// <summary>
/// Tells file-system failures apart by the code .NET carries: on Unix an <see cref="IOException"/>'s HResult is the
/// raw errno (EROFS 30, ENOSPC 28, EWOULDBLOCK from a held lock), on Windows the Win32 error in its low 16 bits;
/// EACCES and EPERM surface as <see cref="UnauthorizedAccessException"/>.
/// </summary>
public static class StoreErrors
{
    public enum Kind { Other, ReadOnly, PermissionDenied, Full, LockHeld }

    private const int UnixReadOnly = 30, UnixNoSpace = 28;
    private const int LinuxQuota = 122, LinuxWouldBlock = 11, MacQuota = 69, MacWouldBlock = 35;
    private const int WinWriteProtect = 19, WinDiskFull = 112, WinHandleDiskFull = 39, WinSharingViolation = 32, WinLockViolation = 33;

    public static Kind Classify(Exception ex) => Classify(ex, OperatingSystem.IsWindows(), OperatingSystem.IsMacOS());

    public static Kind Classify(Exception ex, bool windows, bool macOS)
    {
        if (ex is UnauthorizedAccessException)
        {
            return Kind.PermissionDenied;
        }
        if (ex is not IOException || ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Kind.Other;
        }
        var code = ex.HResult & 0xFFFF;
        return windows
            ? code switch
            {
                WinWriteProtect => Kind.ReadOnly,
                WinDiskFull or WinHandleDiskFull => Kind.Full,
                WinSharingViolation or WinLockViolation => Kind.LockHeld,
                _ => Kind.Other,
            }
            : code switch
            {
                UnixReadOnly => Kind.ReadOnly,
                UnixNoSpace => Kind.Full,
                _ when code == (macOS ? MacQuota : LinuxQuota) => Kind.Full,
                _ when code == (macOS ? MacWouldBlock : LinuxWouldBlock) => Kind.LockHeld,
                _ => Kind.Other,
            };
    }

    /// <summary>The failure of an operation on <paramref name="path"/> as a store error that says what to do, or null to keep it as it is.</summary>
    public static IOException? Describe(Exception ex, string path, string store) => Classify(ex) switch
    {
        Kind.ReadOnly => new StoreNotWritableException(
            $"store {store} is not writable: read-only file system at {path}; remount it read-write or choose a writable folder (--store)", ex),
        Kind.PermissionDenied => new StoreNotWritableException(
            $"store {store} refuses access: permission denied at {path}; give the worker's user read and write access to the folder or choose another (--store)", ex),
        Kind.Full => new StoreFullException($"store {store} is full: no space left on device at {path}; free space on its volume, then rerun", ex),
        _ => null,
    };
}
