namespace ExportFlows.Workflows.Planning;

/// <summary>"Did you mean": the known name closest to a misspelt one, if it is close enough to be the one meant.</summary>
public static class NameSuggestion
{
    /// <summary>The closest of <paramref name="known"/> within a small edit distance (first in order on a tie), or null.</summary>
    public static string? Closest(string given, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(known);
        var limit = Math.Max(1, Math.Min(3, given.Length / 3));
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in known)
        {
            var distance = Distance(given.ToLowerInvariant(), name.ToLowerInvariant());
            if (!string.Equals(given, name, StringComparison.Ordinal) && distance <= limit && distance < bestDistance)
            {
                (best, bestDistance) = (name, distance);
            }
        }
        return best;
    }

    /// <summary><c>; did you mean 'NAME'?</c>, or empty when nothing is close.</summary>
    public static string Hint(string given, IEnumerable<string> known) => Closest(given, known) is { } name ? $"; did you mean '{name}'?" : "";

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) from one text to the other.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
