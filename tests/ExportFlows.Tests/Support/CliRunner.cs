using ExportFlows.Worker.Cli;

namespace ExportFlows.Tests.Support;

public sealed record CliResult(int ExitCode, string Output, string Error);

public static class CliRunner
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, CancellationToken.None);

    public static async Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ExportFlowsCli.RunAsync(args, output, error, cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
