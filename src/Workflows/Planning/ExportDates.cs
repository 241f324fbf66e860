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

    public static TimeZoneInfo Eastern { get; } = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static DateOnly EasternDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Eastern).DateTime);

    public static DateTime EasternDateTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Eastern).DateTime;

    /// <summary>Parses YYYY-MM-DD, or the words today / yesterday resolved against <paramref name="now"/> in America/New_York.</summary>
    public static DateOnly Resolve(string value, DateTimeOffset now, string what)
    {
        var text = value.Trim();
        if (text.Equals("today", StringComparison.OrdinalIgnoreCase))
        {
            return EasternDate(now);
        }
        if (text.Equals("yesterday", StringComparison.OrdinalIgnoreCase))
        {
            return EasternDate(now).AddDays(-1);
        }
        return Parse(text, what);
    }

    public static DateOnly Parse(string value, string what)
    {
        var shown = value.Length > 40 ? value[..40] + "…" : value;
        if (!DateOnly.TryParseExact(value, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new InvalidExportRequestException($"invalid {what} '{shown}': expected a calendar date YYYY-MM-DD (or today/yesterday)");
        }
        return date >= Earliest && date <= Latest
            ? date
            : throw new InvalidExportRequestException($"invalid {what} '{shown}': dates must lie between {ToText(Earliest)} and {ToText(Latest)}");
    }

    public static string ToText(DateOnly date) => date.ToString(Format, CultureInfo.InvariantCulture);

    public static string ToTimestamp(DateTimeOffset instant) => instant.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);
}
