using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Support;

/// <summary>
/// Game dates for server tests. A tonight workflow's id is its date, the server is shared by the tests running in
/// parallel and may be reused by later runs of the suite: each call returns a date no other call in this process
/// returned (a random start per process, then day after day), in 2030–2099, where the sample warehouse has no data.
/// </summary>
public static class UniqueGameDates
{
    private static readonly DateOnly First = new(2030, 1, 1);
    private static readonly int Days = ExportDates.Latest.DayNumber - First.DayNumber + 1;
    private static readonly int Start = Random.Shared.Next(0, Days);
    private static int _issued = -1;

    public static DateOnly Next() => First.AddDays((Start + Interlocked.Increment(ref _issued)) % Days);

    public static string NextText() => ExportDates.ToText(Next());
}
