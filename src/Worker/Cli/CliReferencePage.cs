using System.CommandLine;
using System.CommandLine.Help;
using System.Text;

namespace ExportFlows.Worker.Cli;

/// <summary>
/// docs/cli.md from the command definitions: a synopsis of every command and each command's <c>--help</c>, rendered by
/// the same help action the command line uses, so the page cannot say what <c>--help</c> does not.
/// </summary>
public static class CliReferencePage
{
    public const string FixCommand = "dotnet run --project src/Worker -- docs cli --out docs/cli.md";

    /// <summary>The line that ends the hand-written head of the page; everything after it is generated.</summary>
    public const string Marker = "<!-- Generated from the command definitions below this line: edit the commands, then run `" + FixCommand + "`. -->";

    private const string DefaultHead = "# Command-line reference\n";

    /// <summary>Every visible command under <paramref name="root"/> (the root first), with the words that invoke it.</summary>
    public static IEnumerable<(IReadOnlyList<string> Path, Command Command)> Commands(Command root)
    {
        var pending = new Stack<(IReadOnlyList<string>, Command)>([([], root)]);
        while (pending.TryPop(out var next))
        {
            yield return next;
            foreach (var child in next.Item2.Subcommands.Where(c => !c.Hidden).Reverse())
            {
                pending.Push(([.. next.Item1, child.Name], child));
            }
        }
    }

    /// <summary>What <c>exportflows PATH --help</c> prints, unwrapped (as when standard output is not a terminal).</summary>
    public static string Help(Command root, IReadOnlyList<string> path)
    {
        var parse = root.Parse([.. path, "--help"]);
        if (parse.Action is HelpAction help)
        {
            help.MaxWidth = int.MaxValue;
        }
        using var output = new StringWriter();
        parse.Invoke(new InvocationConfiguration { Output = output, Error = output, ProcessTerminationTimeout = null });
        return output.ToString().ReplaceLineEndings("\n");
    }

    /// <summary>The generated part of the page: the synopsis, then one section per command.</summary>
    public static string Generated(Command root)
    {
        var commands = Commands(root).ToList();
        var page = new StringBuilder();
        page.Append("## Synopsis\n\n```text\n");
        foreach (var (path, command) in commands.Where(c => c.Command.Action is not null))
        {
            page.Append(Synopsis(path, command)).Append('\n');
        }
        page.Append("```\n");
        foreach (var (path, _) in commands)
        {
            page.Append("\n## ").Append(string.Join(' ', ["exportflows", .. path])).Append("\n\n```text\n")
                .Append(Help(root, path).TrimEnd('\n')).Append("\n```\n");
        }
        return page.ToString();
    }

    /// <summary>
    /// The hand-written head of <paramref name="existingPage"/> (all of it when it has no marker yet; a default head
    /// when there is no page), the marker, and the generated part.
    /// </summary>
    public static string Page(string? existingPage, Command root)
    {
        var text = existingPage?.ReplaceLineEndings("\n");
        var head = text switch
        {
            null => DefaultHead + "\n",
            _ when text.IndexOf(Marker, StringComparison.Ordinal) is >= 0 and var at => text[..at],
            _ => text.TrimEnd('\n') + "\n\n",
        };
        return head + Marker + "\n\n" + Generated(root);
    }

    /// <summary>The part of a page after the marker, or null when the page has none.</summary>
    public static string? GeneratedPartOf(string page)
    {
        var text = page.ReplaceLineEndings("\n");
        var at = text.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? null : text[(at + Marker.Length)..].TrimStart('\n');
    }

    private static string Synopsis(IReadOnlyList<string> path, Command command)
    {
        var words = new List<string> { string.Join(' ', ["exportflows", .. path]) };
        words.AddRange(command.Arguments.Where(a => !a.Hidden).Select(a => a.Arity.MinimumNumberOfValues == 0 ? $"[<{a.Name}>]" : $"<{a.Name}>"));
        foreach (var option in command.Options.Where(o => !o.Hidden && o is not HelpOption and not VersionOption))
        {
            var value = option.ValueType == typeof(bool) ? "" : $" <{option.HelpName ?? option.Name.TrimStart('-')}>";
            words.Add(option.Required ? option.Name + value : $"[{option.Name}{value}]");
        }
        return Wrap(words);
    }

    /// <summary>Lines of at most 118 characters; continuation lines are indented.</summary>
    private static string Wrap(IReadOnlyList<string> words)
    {
        var lines = new List<StringBuilder> { new(words[0]) };
        foreach (var word in words.Skip(1))
        {
            if (lines[^1].Length + 1 + word.Length > 118)
            {
                lines.Add(new StringBuilder("   "));
            }
            lines[^1].Append(' ').Append(word);
        }
        return string.Join('\n', lines);
    }
}
