using ExportFlows.Workflows.Catalog;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Catalog;

/// <summary>
/// The catalog file named by <c>ExportFlows__Catalog</c>/<c>--catalog</c>, or the shipped catalog when none is named.
/// The file is re-read when its size or modification time changes, so a running worker picks up an edit on its next
/// run. An edit that does not validate is never used: the last valid catalog stays in use, the errors are logged
/// once and reported by <see cref="Health"/> (status and /metrics). A file that is invalid at start fails the start.
/// </summary>
public sealed class CatalogFileSource : IExportCatalogSource
{
    private readonly string? _path;
    private readonly IReadOnlySet<string> _implementations;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private ExportCatalog? _current;
    private (DateTime Modified, long Length) _version;
    private IReadOnlyList<CatalogError> _refused = [];

    /// <param name="path">The catalog file; null or empty: the shipped catalog.</param>
    /// <param name="implementations">The native exporters registered in code (a native row must name one).</param>
    public CatalogFileSource(string? path, IReadOnlySet<string> implementations, ILogger logger)
    {
        _path = string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path);
        _implementations = implementations;
        _logger = logger;
    }

    /// <summary>The catalog <paramref name="options"/> name (file or shipped), validated against the native exporters of this build.</summary>
    public static ExportCatalog Load(ExportFlowsOptions options) => string.IsNullOrWhiteSpace(options.Catalog)
        ? ExportCatalogParser.ParseOrThrow(ExportCatalog.ShippedText(), ExportCatalog.ShippedSource, Exporters.NativeExporters.Names)
        : Load(options.Catalog, Exporters.NativeExporters.Names);

    public ExportCatalog Current
    {
        get
        {
            lock (_gate)
            {
                Refresh();
                return _current!;
            }
        }
    }

    public CatalogHealth Health
    {
        get
        {
            var current = Current;
            lock (_gate)
            {
                return new CatalogHealth(current.Source, current.Fingerprint, _refused);
            }
        }
    }

    /// <summary>Loads a catalog file once, or throws <see cref="InvalidCatalogException"/> (missing file included) with every error.</summary>
    public static ExportCatalog Load(string path, IReadOnlySet<string>? implementations)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidCatalogException([new CatalogError(path, 0, "(file)", $"cannot be read ({ex.Message}): check ExportFlows__Catalog / --catalog")]);
        }
        return ExportCatalogParser.ParseOrThrow(text, path, implementations);
    }

    private void Refresh()
    {
        if (_path is null)
        {
            _current ??= ExportCatalogParser.ParseOrThrow(ExportCatalog.ShippedText(), ExportCatalog.ShippedSource, _implementations);
            return;
        }
        var info = new FileInfo(_path);
        var version = info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1L);
        if (_current is not null && version == _version)
        {
            return;
        }
        _version = version;
        try
        {
            var loaded = Load(_path, _implementations);
            if (_current is not null && loaded.Fingerprint != _current.Fingerprint)
            {
                _logger.LogInformation("Catalog {Path} changed: now {Fingerprint} ({Types} types, {Schedules} schedules)",
                    _path, loaded.Fingerprint, loaded.Types.Count, loaded.Schedules.Count);
            }
            _current = loaded;
            _refused = [];
        }
        catch (InvalidCatalogException ex) when (_current is not null)
        {
            _refused = ex.Errors;
            _logger.LogError("Catalog {Path} was edited but does not validate; still using {Fingerprint}. Fix: {Errors}",
                _path, _current.Fingerprint, string.Join("; ", ex.Errors));
        }
    }
}
