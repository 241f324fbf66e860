using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ExportFlows.Activities;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.PubSub;
using ExportFlows.Worker.Temporal;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Tests.Docs;

/// <summary>docs/configuration.md has a row for every setting of the options classes, with its variable and default, and no other.</summary>
public sealed partial class ConfigurationReferenceTests
{
    private static readonly string Page = DocPages.Page("configuration.md");

    /// <summary>Rows by setting (<c>Section:Name</c>): the cells environment variable, default, meaning.</summary>
    private static readonly Dictionary<string, string[]> Rows = DocPages.TableRows(Page)
        .Where(r => r.Length == 4 && DocPages.Unquoted(r[0]).Contains(':', StringComparison.Ordinal))
        .ToDictionary(r => DocPages.Unquoted(r[0]), r => r[1..], StringComparer.Ordinal);

    public static TheoryData<string> Sections => [ExportFlowsOptions.Section, TemporalSettings.Section, PubSubPushOptions.Section];

    private static readonly Dictionary<string, object> Defaults = new(StringComparer.Ordinal)
    {
        [ExportFlowsOptions.Section] = new ExportFlowsOptions(),
        [TemporalSettings.Section] = new TemporalSettings(),
        [PubSubPushOptions.Section] = new PubSubPushOptions(),
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void ConfigurationPage_EverySetting_HasARowWithItsVariableAndDefault(string section)
    {
        var defaults = Defaults[section];
        foreach (var property in Settings(defaults.GetType()))
        {
            var setting = $"{section}:{property.Name}";
            Assert.True(Rows.TryGetValue(setting, out var row), $"docs/configuration.md has no row for {setting}");
            Assert.Contains($"`{section}__{property.Name}", row[0], StringComparison.Ordinal);
            Assert.NotEqual("", row[1]);
            if (Shown(property.GetValue(defaults)) is { } shown)
            {
                Assert.True(row[1].Contains(shown, StringComparison.Ordinal), $"{setting}: the default column says '{row[1]}', the code's default is {shown}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void ConfigurationPage_EveryRowOfASection_IsASetting(string section)
    {
        var names = Settings(Defaults[section].GetType()).Select(p => $"{section}:{p.Name}").ToHashSet(StringComparer.Ordinal);

        Assert.All(Rows.Keys.Where(k => k.StartsWith(section + ":", StringComparison.Ordinal)), key => Assert.Contains(key, names));
    }

    [Fact]
    public void ConfigurationPage_EveryKeyTheCodeReadsByName_HasARow()
    {
        var source = Directory.GetFiles(RepositoryFiles.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText);
        var keys = source.SelectMany(text => KeyReadByName().Matches(text).Select(m => m.Groups["key"].Value)).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("Http:Url", keys);
        Assert.All(keys, key => Assert.True(Rows.ContainsKey(key), $"the code reads configuration[\"{key}\"], docs/configuration.md has no row for it"));
    }

    private static IEnumerable<PropertyInfo> Settings(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true });

    /// <summary>How a default is written in the page, or null when the page describes it in words (no value, or computed elsewhere).</summary>
    private static string? Shown(object? value) => value switch
    {
        string { Length: > 0 } text => $"`{text}`",
        TimeSpan span => $"`{span.ToString("c", CultureInfo.InvariantCulture)}`",
        bool flag => $"`{(flag ? "true" : "false")}`",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture),
        IEnumerable items when !items.Cast<object>().Any() => "none",
        _ => null,
    };

    [GeneratedRegex(@"\[""(?<key>[A-Z][A-Za-z]*:[A-Z][A-Za-z:]*)""\]")]
    private static partial Regex KeyReadByName();
}
