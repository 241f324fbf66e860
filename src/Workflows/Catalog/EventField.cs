namespace ExportFlows.Workflows.Catalog;

/// <summary>The JSON types an event's field may have.</summary>
public enum EventFieldType
{
    String,
    Integer,
    Number,
    Bool,
}

/// <summary>A typed field of an event's message; <paramref name="DefaultJson"/> (JSON text) when the message lacks it.</summary>
public sealed record EventField(EventFieldType Type, string? DefaultJson)
{
    public static string TypeName(EventFieldType type) => type switch
    {
        EventFieldType.String => "string",
        EventFieldType.Integer => "integer",
        EventFieldType.Number => "number",
        _ => "bool",
    };
}
