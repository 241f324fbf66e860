using System.Reflection;
using ExportFlows.Worker.Cli;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Docs;

/// <summary>docs/exit-codes.md explains every exit code and every failure type, and says which are never retried.</summary>
public sealed class ExitCodesPageTests
{
    private static readonly string Page = DocPages.Page("exit-codes.md");

    [Fact]
    public void ExitCodesPage_EveryExitCode_HasOneRow()
    {
        var documented = DocPages.TableRows(DocPages.Section(Page, "Exit codes")).Select(r => int.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(ExitCodes.All.Order(), documented.Order());
    }

    [Fact]
    public void ExitCodesPage_EveryFailureType_HasOneRowSayingWhetherItIsRetried()
    {
        var rows = DocPages.TableRows(DocPages.Section(Page, "Failure types")).ToDictionary(r => DocPages.Unquoted(r[0]), r => r[1], StringComparer.Ordinal);
        var types = typeof(ExportErrorTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(types.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var (type, retried) in rows)
        {
            Assert.True(ExportErrorTypes.NonRetryable.Contains(type) == (retried == "no"),
                $"docs/exit-codes.md says {type} is retried: '{retried}'; ExportErrorTypes.NonRetryable {(ExportErrorTypes.NonRetryable.Contains(type) ? "lists" : "does not list")} it");
        }
    }
}
