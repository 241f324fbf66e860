using System.Globalization;

namespace ExportFlows.Workflows.Planning;

/// <summary>Date rules: strict YYYY-MM-DD parsing, and "today" as the America/New_York calendar date of a given instant.</summary>
public static class ExportDates
{
    public const string Format = "yyyy-MM-dd";

    /// <summary>The public documents' and the external contract's timestamps: UTC, six fractional digits, <c>+00:00</c>.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'";

    /// <summary>The dates an export may name: far outside this range a date is a typo, and would only fail later in arithmetic.</summary>
    public static readonly DateOnly Earliest = new(2000, 1, 1);

    public static readonly DateOnly Latest = new(2099, 12, 31);

    /// <summary>The clocks a request may run on (<c>--now</c>, a schedule's time): from the first to the last instant of those dates, in UTC.</summary>
    public static readonly DateTimeOffset EarliestClock = new(Earliest.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static readonly DateTimeOffset LatestClock = new(Latest.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero);

    public static TimeZoneInfo Eastern { get; } = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static DateOnly EasternDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Eastern).DateTime);

    public static DateTime EasternDateTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Eastern).DateTime;

    /// <summary>
    /// Parses YYYY-MM-DD, or the words today / yesterday resolved against <paramref name="now"/> in America/New_York.
    /// A word is checked like a written date, so a clock far in the future cannot name a date no one could type.
    /// </summary>
    public static DateOnly Resolve(string value, DateTimeOffset now, string what)
    {
        var text = value.Trim();
        var back = text.Equals("today", StringComparison.OrdinalIgnoreCase) ? 0
            : text.Equals("yesterday", StringComparison.OrdinalIgnoreCase) ? 1
            : -1;
        if (back < 0)
        {
            return Parse(text, what);
        }
        if (!IsSaneClock(now))
        {
            throw new InvalidExportRequestException($"invalid {what} '{text}': it is resolved at {ToClockText(now)}, and {ClockRange}");
        }
        var date = EasternDate(now).AddDays(-back);
        return date >= Earliest && date <= Latest
            ? date
            : throw new InvalidExportRequestException($"invalid {what} '{text}' ({ToText(date)} in America/New_York at {ToClockText(now)}): {DateRange}");
    }

    /// <summary>Throws, naming <paramref name="what"/> (e.g. <c>--now</c>) and the range, unless <paramref name="clock"/> is a sane request clock.</summary>
    public static DateTimeOffset CheckClock(DateTimeOffset clock, string what, string? shown = null) => IsSaneClock(clock)
        ? clock
        : throw new InvalidExportRequestException($"invalid {what} '{Shorten(shown ?? ToClockText(clock))}': {ClockRange}");

    private static bool IsSaneClock(DateTimeOffset clock) => clock >= EarliestClock && clock <= LatestClock;

    private static string ClockRange => $"the clock must lie between {ToClockText(EarliestClock)} and {ToClockText(LatestClock)}";

    private static string DateRange => $"dates must lie between {ToText(Earliest)} and {ToText(Latest)}";

    /// <summary>An instant as messages show it: UTC to the second.</summary>
    private static string ToClockText(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;

    public static DateOnly Parse(string value, string what)
    {
        var shown = Shorten(value);
        if (!DateOnly.TryParseExact(value, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new InvalidExportRequestException($"invalid {what} '{shown}': expected a calendar date YYYY-MM-DD (or today/yesterday)");
        }
        return date >= Earliest && date <= Latest
            ? date
            : throw new InvalidExportRequestException($"invalid {what} '{shown}': {DateRange}");
    }

    public static string ToText(DateOnly date) => date.ToString(Format, CultureInfo.InvariantCulture);

    public static string ToTimestamp(DateTimeOffset instant) => instant.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);
}
