namespace ExportFlows.Tests.Support;

/// <summary>A test that runs a documented curl command with bash; skipped, saying so, where bash or curl is not installed.</summary>
public sealed class CurlFactAttribute : FactAttribute
{
    public CurlFactAttribute()
    {
        var missing = new[] { "bash", "curl", "base64" }.Where(tool => !OnPath(tool)).ToList();
        if (missing.Count > 0)
        {
            Skip = $"{string.Join(", ", missing)} not on PATH: the documented curl command cannot run here";
        }
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, name)));
}
