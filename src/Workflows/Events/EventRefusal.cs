namespace ExportFlows.Workflows.Events;

/// <summary>Why a message cannot start its event: the field at fault (<c>(message)</c> for the whole) and what is wrong.</summary>
public sealed record EventRefusal(string Field, string Reason)
{
    public const string WholeMessage = "(message)";

    public override string ToString() => Reason;
}
