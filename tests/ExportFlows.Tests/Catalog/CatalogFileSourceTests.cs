using ExportFlows.Activities.Catalog;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using static ExportFlows.Tests.Catalog.CatalogText;

namespace ExportFlows.Tests.Catalog;

/// <summary>A running worker's catalog file: edits are picked up by the next run; an edit that does not validate is never used.</summary>
public sealed class CatalogFileSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly CapturingLoggerProvider _logs = new();

    private string File => _folder.Sub("exportflows.toml");

    private CatalogFileSource Source() => new(File, Implementations, _logs.CreateLogger("catalog"));

    private void Write(string text) => System.IO.File.WriteAllText(File, text);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Current_ValidEdit_NextCurrentUsesIt()
    {
        Write(Valid);
        var source = Source();
        Assert.Equal(ExportCatalogParser.Fingerprint(Valid), source.Current.Fingerprint);

        var edited = With(("all = [\"picks\", \"scores\"]", "all = [\"picks\", \"scores\"]\nnative = [\"picks\"]"));
        Write(edited);

        Assert.Equal((ExportCatalogParser.Fingerprint(edited), File), (source.Current.Fingerprint, source.Current.Source));
        Assert.Equal(["picks"], source.Current.Groups["native"]);
        Assert.False(source.Health.EditRefused);
        Assert.Contains(_logs.Messages, m => m.StartsWith("Information: Catalog ", StringComparison.Ordinal) && m.Contains(ExportCatalogParser.Fingerprint(edited), StringComparison.Ordinal));
    }

    [Fact]
    public void Current_SameSizeEditWithNewerTime_PickedUp()
    {
        Write(Valid);
        var source = Source();
        _ = source.Current;
        var edited = With(("catchup_window = \"1h\"", "catchup_window = \"2h\""));
        Write(edited);
        System.IO.File.SetLastWriteTimeUtc(File, System.IO.File.GetLastWriteTimeUtc(File).AddSeconds(2));

        Assert.Equal(TimeSpan.FromHours(2), source.Current.Schedules[0].CatchupWindow);
    }

    [Fact]
    public void Health_InvalidEdit_LastValidKeptAndErrorNamesFileLineAndKey()
    {
        Write(Valid);
        var source = Source();
        var valid = source.Current.Fingerprint;

        var broken = With(("kind = \"external\"", "kind = \"pyhton\""));
        Write(broken);

        Assert.Equal(valid, source.Current.Fingerprint);
        var health = source.Health;
        Assert.True(health.EditRefused);
        Assert.Equal((File, valid), (health.Source, health.Fingerprint));
        var error = Assert.Single(health.RefusedEditErrors);
        Assert.Equal((File, LineOf(broken, "pyhton"), "types.scores.kind"), (error.Source, error.Line, error.Key));
        Assert.Single(_logs.Messages, m => m.StartsWith("Error: ", StringComparison.Ordinal) && m.Contains($"{File}:{error.Line}: types.scores.kind", StringComparison.Ordinal));

        // Asked again without another edit: still refused, logged once.
        Assert.True(source.Health.EditRefused);
        Assert.Single(_logs.Messages, m => m.StartsWith("Error: ", StringComparison.Ordinal));

        var fixedText = With(("kind = \"external\"", "kind = \"external\" "));
        Write(fixedText);

        Assert.Equal(ExportCatalogParser.Fingerprint(fixedText), source.Current.Fingerprint);
        Assert.False(source.Health.EditRefused);
        Assert.Empty(source.Health.RefusedEditErrors);
    }

    [Fact]
    public void Health_FileDeletedWhileRunning_LastValidKeptAndFileNamed()
    {
        Write(Valid);
        var source = Source();
        var valid = source.Current.Fingerprint;

        System.IO.File.Delete(File);

        Assert.Equal(valid, source.Current.Fingerprint);
        var error = Assert.Single(source.Health.RefusedEditErrors);
        Assert.Equal((File, "(file)"), (error.Source, error.Key));
        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Current_MissingFileAtStart_InvalidCatalogExceptionNamingThePath()
    {
        var source = Source();

        var failure = Assert.Throws<InvalidCatalogException>(() => source.Current);

        var error = Assert.Single(failure.Errors);
        Assert.Equal((File, 0, "(file)"), (error.Source, error.Line, error.Key));
        Assert.Contains(File, failure.Message, StringComparison.Ordinal);
        Assert.Contains("ExportFlows__Catalog / --catalog", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Current_InvalidFileAtStart_ThrowsEveryErrorThenServesTheFixedFile()
    {
        var broken = With(("kind = \"external\"", "kind = \"pyhton\""), ("date = \"yesterday\"", "date = \"2026-02-10\""));
        Write(broken);
        var source = Source();

        var failure = Assert.Throws<InvalidCatalogException>(() => source.Current);
        Assert.Equal(["types.scores.kind", "schedules.nightly.date"], failure.Errors.Select(e => e.Key));

        Write(Valid);
        Assert.Equal(ExportCatalogParser.Fingerprint(Valid), source.Current.Fingerprint);
    }

    [Fact]
    public void Current_NoFileNamed_TheShippedCatalog()
    {
        var source = new CatalogFileSource(null, ExportFlows.Activities.Exporters.NativeExporters.Names, _logs.CreateLogger("catalog"));

        Assert.Equal((ExportCatalog.ShippedSource, ExportCatalog.Shipped.Fingerprint), (source.Current.Source, source.Current.Fingerprint));
        Assert.False(source.Health.EditRefused);
    }
}
