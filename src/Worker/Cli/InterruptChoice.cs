using System.CommandLine;
using Spectre.Console;

namespace ExportFlows.Worker.Cli;

/// <summary>
/// What Ctrl-C (or SIGTERM) does to a run that is waited for on Temporal: <c>cancel</c> the workflow, <c>detach</c>
/// (leave it running), or <c>ask</c> at an interactive terminal (elsewhere: detach, since nobody can answer).
/// </summary>
public static class InterruptChoice
{
    public const string Ask = "ask";
    public const string Cancel = "cancel";
    public const string Detach = "detach";

    public static Option<string> CreateOption(string what)
    {
        var option = new Option<string>("--on-interrupt")
        {
            Description = $"on Ctrl-C with Temporal: ask, cancel (the {what} workflow) or detach (leave it running)",
            DefaultValueFactory = _ => Ask,
        };
        option.AcceptOnlyFromAmong(Ask, Cancel, Detach);
        return option;
    }

    /// <summary>
    /// Set by the process entry point when SIGTERM (not Ctrl-C) stopped the run: a stop sent by a supervisor, an IDE
    /// or <c>kill</c> has nobody at the terminal to answer a prompt, so <c>ask</c> detaches as it does elsewhere.
    /// </summary>
    public static bool Terminated { get; private set; }

    public static void OnTerminate() => Terminated = true;

    /// <summary>Whether to cancel the workflow; <paramref name="prompt"/> is asked only for <c>ask</c> at an interactive terminal (not after SIGTERM, see <see cref="IsInteractive"/>).</summary>
    public static bool ShouldCancel(string choice, bool interactive, Func<bool> prompt) => choice switch
    {
        Cancel => true,
        Detach => false,
        _ => interactive && prompt(),
    };

    public static bool IsInteractive(CliContext context) =>
        ReferenceEquals(context.Output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive && !Terminated;

    public static Func<bool> Prompt(string what) => () => AnsiConsole.Prompt(new SelectionPrompt<string>()
        .Title($"Interrupted. The {what} workflow is still running:")
        .AddChoices("detach (it keeps running)", $"cancel the {what}")) != "detach (it keeps running)";
}
