using ExportFlows.Workflows.Planning;

namespace ExportFlows.Worker.Cli;

/// <summary>The <c>--http</c> value: <c>http://HOST:PORT</c>, or <c>HOST:PORT</c> / <c>:PORT</c> meaning plain HTTP.</summary>
public static class HttpListenUrl
{
    public static string Normalize(string text)
    {
        var value = text.Trim();
        if (value.StartsWith(':'))
        {
            value = "0.0.0.0" + value;
        }
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            value = "http://" + value;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            throw new InvalidExportRequestException(
                $"invalid --http '{text}': expected HOST:PORT or http://HOST:PORT, e.g. 0.0.0.0:8080 or http://127.0.0.1:8080");
        }
        return $"{uri.Scheme}://{uri.Authority}";
    }
}
