using ExportFlows.Activities;
using ExportFlows.Activities.Storage;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Storage;

public sealed class StoreErrorsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    // The codes .NET carries on Linux (errno as HResult; EACCES as UnauthorizedAccessException), checked against real
    // failures in ReadOnlyAndFullStoreTests.
    [Theory]
    [InlineData(30, StoreErrors.Kind.ReadOnly)]
    [InlineData(28, StoreErrors.Kind.Full)]
    [InlineData(122, StoreErrors.Kind.Full)]
    [InlineData(11, StoreErrors.Kind.LockHeld)]
    [InlineData(5, StoreErrors.Kind.Other)]
    public void Classify_UnixErrno_Kind(int errno, StoreErrors.Kind expected)
    {
        Assert.Equal(expected, StoreErrors.Classify(FaultyFileSystem.Errno(errno, "x", "/s/a.json"), windows: false, macOS: false));
    }

    [Theory]
    [InlineData(0x80070013u, StoreErrors.Kind.ReadOnly)]
    [InlineData(0x80070070u, StoreErrors.Kind.Full)]
    [InlineData(0x80070027u, StoreErrors.Kind.Full)]
    [InlineData(0x80070020u, StoreErrors.Kind.LockHeld)]
    [InlineData(0x8007001Eu, StoreErrors.Kind.Other)]
    public void Classify_WindowsHResult_Kind(uint hresult, StoreErrors.Kind expected)
    {
        Assert.Equal(expected, StoreErrors.Classify(new IOException("x", unchecked((int)hresult)), windows: true, macOS: false));
    }

    [Fact]
    public void Classify_MacOSQuotaAndWouldBlock_UseMacOSNumbers()
    {
        Assert.Equal(StoreErrors.Kind.Full, StoreErrors.Classify(FaultyFileSystem.Errno(69, "x", "/s"), windows: false, macOS: true));
        Assert.Equal(StoreErrors.Kind.LockHeld, StoreErrors.Classify(FaultyFileSystem.Errno(35, "x", "/s"), windows: false, macOS: true));
        Assert.Equal(StoreErrors.Kind.Other, StoreErrors.Classify(FaultyFileSystem.Errno(11, "x", "/s"), windows: false, macOS: true));
    }

    [Fact]
    public void Classify_DeniedMissingAndPlain_KindOrOther()
    {
        Assert.Equal(StoreErrors.Kind.PermissionDenied, StoreErrors.Classify(FaultyFileSystem.Denied("/s/a.json")));
        Assert.Equal(StoreErrors.Kind.Other, StoreErrors.Classify(new FileNotFoundException("gone", "/s/a.json")));
        Assert.Equal(StoreErrors.Kind.Other, StoreErrors.Classify(new IOException("plain")));
        Assert.Equal(StoreErrors.Kind.Other, StoreErrors.Classify(new InvalidOperationException("x")));
    }

    [Fact]
    public void Classify_LockHeldByAnotherOpen_IsLockHeld()
    {
        var path = _temp.Sub("a.lock");
        using var first = PhysicalStoreFileSystem.Instance.OpenLock(path);

        var held = Assert.ThrowsAny<IOException>(() => PhysicalStoreFileSystem.Instance.OpenLock(path));

        Assert.Equal(StoreErrors.Kind.LockHeld, StoreErrors.Classify(held));
    }

    [Fact]
    public void Describe_EachKind_NamesWhatAndWhereAndWhatToDo()
    {
        var readOnly = StoreErrors.Describe(FaultyFileSystem.Errno(30, "Read-only file system", "/s/a"), "/s/a", "dir:/s");
        var denied = StoreErrors.Describe(FaultyFileSystem.Denied("/s/a"), "/s/a", "dir:/s");
        var full = StoreErrors.Describe(FaultyFileSystem.Errno(28, "No space left on device", "/s/a"), "/s/a", "dir:/s");

        Assert.Equal("store dir:/s is not writable: read-only file system at /s/a; remount it read-write or choose a writable folder (--store)",
            Assert.IsType<StoreNotWritableException>(readOnly).Message);
        Assert.StartsWith("store dir:/s refuses access: permission denied at /s/a; give the worker's user read and write access",
            Assert.IsType<StoreNotWritableException>(denied).Message, StringComparison.Ordinal);
        Assert.Equal("store dir:/s is full: no space left on device at /s/a; free space on its volume, then rerun", Assert.IsType<StoreFullException>(full).Message);
        Assert.Null(StoreErrors.Describe(FaultyFileSystem.Errno(11, "busy", "/s/a"), "/s/a", "dir:/s"));
    }

    [Fact]
    public void ActivityClassify_StoreErrors_TypedAndOnlyRefusalsNotRetried()
    {
        var inner = new IOException("x");
        Exception[] errors = [new StoreNotWritableException("m", inner), new StoreLinkOutsideRootException("m"), new StoreFullException("m", inner), new StoreLockedException("m", inner)];

        var types = errors.Select(ExportActivities.Classify).ToList();

        Assert.Equal(["StoreNotWritable", "StoreLinkOutsideRoot", "StoreFull", "StoreLocked"], types);
        Assert.Equal([true, true, false, false], types.Select(t => ExportErrorTypes.NonRetryable.Contains(t)));
    }

    public void Dispose() => _temp.Dispose();
}
