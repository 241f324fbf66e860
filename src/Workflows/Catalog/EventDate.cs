namespace ExportFlows.Workflows.Catalog;

/// <summary>
/// Where a message gives its date: the first of <paramref name="Fields"/> present (a <c>YYYY-MM-DD</c>, <c>today</c> or
/// <c>yesterday</c>), else <paramref name="Default"/> (<c>today</c> or <c>yesterday</c>, America/New_York); with no
/// default, a message without a date is refused.
/// </summary>
public sealed record EventDate(IReadOnlyList<string> Fields, string? Default);
