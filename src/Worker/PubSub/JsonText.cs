using System.Text.Json;

namespace ExportFlows.Worker.PubSub;

/// <summary>
/// JSON that parses can still hold strings .NET cannot read: an escaped lone UTF-16 surrogate (<c>"\ud800"</c>) is
/// valid JSON syntax, but reading it as text throws. Input from outside is checked once, as a whole, before any of it
/// is read.
/// </summary>
public static class JsonText
{
    /// <summary>The path of the first property name or string value that is not valid text, or null when all are.</summary>
    public static string? FindUnreadable(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element.GetString) ? null : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindUnreadable(item, $"{path}[{index++}]") is { } inArray)
                    {
                        return inArray;
                    }
                }
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name = "";
                    if (!Readable(() => name = property.Name))
                    {
                        return $"{path} (a property name)";
                    }
                    if (FindUnreadable(property.Value, $"{path}.{(name.Length > 40 ? name[..40] + "…" : name)}") is { } inObject)
                    {
                        return inObject;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static bool Readable(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
