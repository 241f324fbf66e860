using System.Diagnostics;
using System.Text.Json;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.PubSub;

namespace ExportFlows.Tests.Docs;

/// <summary>The README tour's curl (step 4), run by bash as written from the repository's root, against the push endpoint of a worker started as step 2 starts it (--insecure-no-auth).</summary>
public sealed class TourCurlTests
{
    private static string CurlCommand()
    {
        var readme = DocPages.Read(DocPages.ReadmePath);
        var step = readme[readme.IndexOf("\n**4. ", StringComparison.Ordinal)..];
        var lines = step.Split('\n').SkipWhile(l => !l.StartsWith("curl ", StringComparison.Ordinal)).ToList();
        var command = string.Join('\n', lines.TakeWhile(l => l.Length > 0 && !l.StartsWith("```", StringComparison.Ordinal)));
        Assert.StartsWith("curl -s http://127.0.0.1:8081/pubsub/predictions-complete", command, StringComparison.Ordinal);
        return command;
    }

    [CurlFact]
    public async Task Step4_CurlAsWritten_SignalsTheDatesTonightWorkflow()
    {
        var temporal = new RecordingTonightClient();
        await using var host = await PushEndpointHost.StartAsync(new PubSubPushOptions { InsecureNoAuth = true }, temporal.Client);
        var command = CurlCommand().Replace("http://127.0.0.1:8081/", host.BaseUri.ToString(), StringComparison.Ordinal);
        var start = new ProcessStartInfo("bash") { ArgumentList = { "-c", command }, WorkingDirectory = RepositoryFiles.Root, RedirectStandardOutput = true, RedirectStandardError = true };

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync().Within();
        await process.WaitForExitAsync().Within();

        Assert.Equal(0, process.ExitCode);
        using var answer = JsonDocument.Parse(output);
        Assert.Equal("signalled", answer.RootElement.GetProperty("status").GetString());
        var call = Assert.Single(temporal.Calls);
        Assert.Equal(("phase6-tonight-2026-02-03", "tour-1"), (call.WorkflowId, call.DeliveryId));
    }
}
