namespace ExportFlows.Workflows.Catalog;

/// <summary>The comparisons a condition makes.</summary>
public enum EventConditionOperator
{
    Equals,
    Above,
    In,
}

/// <summary>
/// A condition on a field of the message: <c>{ field = "status", equals = "success" }</c>, <c>{ field = "graded_count",
/// above = 0 }</c>, <c>{ field = "status", in = ["success", "partial"] }</c>. <paramref name="Operands"/> are JSON text.
/// </summary>
public sealed record EventCondition(string Field, EventConditionOperator Operator, IReadOnlyList<string> Operands)
{
    public override string ToString() => Operator switch
    {
        EventConditionOperator.Equals => $"{Field} == {Operands[0]}",
        EventConditionOperator.Above => $"{Field} > {Operands[0]}",
        _ => $"{Field} in [{string.Join(", ", Operands)}]",
    };
}
