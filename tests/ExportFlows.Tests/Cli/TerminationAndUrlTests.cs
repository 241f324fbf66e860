using System.Diagnostics;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Cli;
using ExportFlows.Workflows.Planning;
using Microsoft.AspNetCore.Http;

namespace ExportFlows.Tests.Cli;

public sealed class TerminationAndUrlTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Theory]
    [InlineData("127.0.0.1:8082", "http://127.0.0.1:8082")]
    [InlineData(":8080", "http://0.0.0.0:8080")]
    [InlineData("http://0.0.0.0:8080", "http://0.0.0.0:8080")]
    [InlineData("http://0.0.0.0:8080/", "http://0.0.0.0:8080")]
    [InlineData("https://localhost:8443", "https://localhost:8443")]
    [InlineData("[::]:9000", "http://[::]:9000")]
    public void Normalize_HostPortOrUrl_PlainHttpUrl(string given, string expected) => Assert.Equal(expected, HttpListenUrl.Normalize(given));

    [Theory]
    [InlineData("ftp://127.0.0.1:21")]
    [InlineData("http://127.0.0.1:8080/push")]
    [InlineData("127.0.0.1:notaport")]
    [InlineData("http://")]
    public void Normalize_NotAListenUrl_NamesTheExpectedForm(string given)
    {
        var error = Assert.Throws<InvalidExportRequestException>(() => HttpListenUrl.Normalize(given));

        Assert.Contains($"invalid --http '{given}': expected HOST:PORT or http://HOST:PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_HttpNotAUrl_ExitTwoBeforeConnecting()
    {
        var result = await CliRunner.RunAsync("worker", "--http", "http://127.0.0.1:8082/push", "--temporal", "127.0.0.1:1");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith("error: invalid --http 'http://127.0.0.1:8082/push'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    /// <summary>The real executable, stopped by SIGTERM while an export waits on a warehouse that never answers.</summary>
    [Fact]
    public async Task Process_SigtermDuringExport_Exit130AndNothingWritten()
    {
        await using var warehouse = new SilentWarehouse();
        await warehouse.StartAsync();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "exec", WorkerAssembly(), "export", "--in-process", "--types", "daily-signals", "--date", "2026-01-20",
                "--warehouse", "bigquery:test-project", "--store", "dir:" + _temp.Sub("out") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment = { ["ExportFlows__BigQueryEndpoint"] = warehouse.BaseUri.ToString() },
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        await Bounded.UntilAsync(() => Task.FromResult(warehouse.Waiting > 0 || process.HasExited), "the export's first warehouse request");

        Assert.Equal(0, await SigtermAsync(process.Id));
        await process.WaitForExitAsync().Within(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Cancelled, process.ExitCode);
        Assert.Contains("cancelled: running work was stopped", await error.Within(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Sub("out/v1/signals")) && Directory.EnumerateFiles(_temp.Sub("out/v1/signals")).Any());
    }

    /// <summary>The executable built next to the tests (same configuration).</summary>
    private static string WorkerAssembly()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = RepositoryFiles.PathOf("src", "Worker", "bin", configuration, "net10.0", "exportflows.dll");
        Assert.True(File.Exists(path), $"build the solution first: {path} is missing");
        return path;
    }

    private static async Task<int> SigtermAsync(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync().Within();
        return kill.ExitCode;
    }

    /// <summary>A BigQuery endpoint that accepts requests and never answers them.</summary>
    private sealed class SilentWarehouse : LoopbackServer
    {
        private int _waiting;

        public int Waiting => Volatile.Read(ref _waiting);

        protected override async Task HandleAsync(HttpContext context, RecordedRequest request)
        {
            Interlocked.Increment(ref _waiting);
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public void Dispose() => _temp.Dispose();
}
