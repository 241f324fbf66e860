using System.Text.Json;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Worker.Backfill;

/// <summary>Remembers which (date, types) an in-process backfill already exported successfully, so a rerun resumes.</summary>
public interface IBackfillJournal
{
    Task<bool> SucceededAsync(DateOnly date, IReadOnlyList<string> types, CancellationToken cancellationToken);

    Task RecordAsync(DateOnly date, IReadOnlyList<string> types, bool succeeded, CancellationToken cancellationToken);
}

/// <summary>In process: a JSON-lines file, one line per finished date.</summary>
public sealed class FileBackfillJournal(string path) : IBackfillJournal
{
    private sealed record Line(string Date, string Types, bool Succeeded, DateTimeOffset At);

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<bool> SucceededAsync(DateOnly date, IReadOnlyList<string> types, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        var key = BackfillPlanner.TypesKey(types);
        var text = ExportDates.ToText(date);
        var last = (await File.ReadAllLinesAsync(path, cancellationToken))
            .Select(Read)
            .LastOrDefault(l => l is not null && l.Date == text && l.Types == key);
        return last?.Succeeded == true;
    }

    /// <summary>A line cut short by a crash (or edited by hand) records nothing: its date is simply exported again.</summary>
    private static Line? Read(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonSerializer.Deserialize<Line>(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async Task RecordAsync(DateOnly date, IReadOnlyList<string> types, bool succeeded, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var line = JsonSerializer.Serialize(new Line(ExportDates.ToText(date), BackfillPlanner.TypesKey(types), succeeded, DateTimeOffset.UtcNow));
            await File.AppendAllTextAsync(path, line + "\n", cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
