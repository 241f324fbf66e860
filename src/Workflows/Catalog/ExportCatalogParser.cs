using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ExportFlows.Workflows.Planning;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;

namespace ExportFlows.Workflows.Catalog;

/// <summary>
/// Reads a catalog file (TOML, docs/catalog.md) into an <see cref="ExportCatalog"/>, reporting every error at once with
/// its line and key. Deterministic and free of I/O: the caller reads the file.
/// </summary>
public static partial class ExportCatalogParser
{
    /// <param name="implementations">The native exporters registered in code; when given, a native row must name one.</param>
    public static CatalogParseResult Parse(string text, string source, IReadOnlySet<string>? implementations = null)
    {
        var syntax = SyntaxParser.Parse(text, source, true);
        if (syntax.HasErrors)
        {
            return new(null, CatalogSyntaxErrors.From(source, syntax.Diagnostics));
        }
        var metadata = new TomlMetadataStore();
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(text, new TomlSerializerOptions { MetadataStore = metadata, SourceName = source })!;
        }
        catch (TomlException ex)
        {
            return new(null, [new CatalogError(source, ex.Line ?? 0, CatalogSyntaxErrors.Key, ex.Message)]);
        }
        var reader = new CatalogTomlReader(source, metadata);
        var catalog = Read(root, reader, source, Fingerprint(text), implementations);
        return reader.Errors.Count > 0 ? new(null, reader.Errors) : new(catalog, []);
    }

    /// <summary>Parses, or throws <see cref="InvalidCatalogException"/> with every error.</summary>
    public static ExportCatalog ParseOrThrow(string text, string source, IReadOnlySet<string>? implementations = null)
    {
        var result = Parse(text, source, implementations);
        return result.Catalog ?? throw new InvalidCatalogException(result.Errors);
    }

    /// <summary>The first 16 hex digits of the SHA-256 of the file's text: names the catalog a run used.</summary>
    public static string Fingerprint(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    /// <summary><c>results</c> → <c>ExportResults</c>, <c>tonight-players</c> → <c>ExportTonightPlayers</c>.</summary>
    public static string DefaultActivity(string type) =>
        "Export" + string.Concat(type.Split('-', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => char.ToUpper(part[0], CultureInfo.InvariantCulture) + part[1..]));

    private static ExportCatalog Read(TomlTable root, CatalogTomlReader r, string source, string fingerprint, IReadOnlySet<string>? implementations)
    {
        r.OnlyKeys(root, "", "version", "policies", "types", "groups", "orchestrator", "schedules", "publication", "events");
        if (r.Integer(root, "version", "", required: true) is { } version && version != 1)
        {
            r.Error(root, "version", "version", $"version {version} is not supported: this ExportFlows reads version 1");
        }
        // A policy that does not parse stays declared (null), so the rows naming it are not reported again.
        var policies = new Dictionary<string, ExportActivityPolicy?>(StringComparer.Ordinal);
        if (r.Table(root, "policies", "") is { } policyTable)
        {
            foreach (var (name, value) in policyTable)
            {
                policies[name] = ReadPolicy(r, policyTable, name, $"policies.{name}", value);
            }
        }
        var types = new List<ExportTypeRow>();
        var typeTable = r.Table(root, "types", "", required: true) ?? [];
        foreach (var (name, value) in typeTable)
        {
            if (value is not TomlTable row)
            {
                r.Error(typeTable, name, $"types.{name}", "expected a table [types.NAME]");
                continue;
            }
            if (ExportTypeRowParser.Read(r, typeTable, name, row, policies, implementations) is { } parsed)
            {
                types.Add(parsed);
            }
        }
        CatalogGraphChecks.Check(r, typeTable, types);
        var typeNames = typeTable.Keys.ToHashSet(StringComparer.Ordinal);
        var groups = ReadGroups(r, root, typeNames);
        var orchestrator = r.Strings(root, "orchestrator", "") ?? [];
        foreach (var unknown in orchestrator.Where(t => !typeNames.Contains(t)))
        {
            r.Error(root, "orchestrator", "orchestrator", $"names unknown type '{unknown}'");
        }
        var schedules = CatalogScheduleParser.Read(r, root, types, typeNames, groups);
        var publication = ReadPublication(r, root);
        var events = CatalogEventParser.Read(r, root, types, typeNames, groups);
        return new ExportCatalog(fingerprint, source, types, groups, orchestrator, schedules, publication) { Events = events };
    }

    internal static ExportActivityPolicy? ReadPolicy(CatalogTomlReader r, TomlTable parent, string key, string path, object? value)
    {
        if (value is not TomlTable table)
        {
            r.Error(parent, key, path, "expected a policy table (start_to_close, schedule_to_close, heartbeat, schedule_to_start, retry)");
            return null;
        }
        r.OnlyKeys(table, path, "start_to_close", "schedule_to_close", "schedule_to_start", "heartbeat", "retry");
        var startToClose = r.Duration(table, "start_to_close", path, required: true);
        var scheduleToClose = r.Duration(table, "schedule_to_close", path, required: true);
        var scheduleToStart = r.Duration(table, "schedule_to_start", path);
        var heartbeat = r.Duration(table, "heartbeat", path);
        var retryPath = path + ".retry";
        var retry = r.Table(table, "retry", path, required: true);
        if (retry is null)
        {
            return null;
        }
        r.OnlyKeys(retry, retryPath, "initial_interval", "backoff", "maximum_interval", "maximum_attempts");
        var initial = r.Duration(retry, "initial_interval", retryPath, required: true);
        var backoff = r.Number(retry, "backoff", retryPath, required: true);
        var maximum = r.Duration(retry, "maximum_interval", retryPath, required: true);
        var attempts = r.Integer(retry, "maximum_attempts", retryPath, required: true, min: 0, max: 1000);
        if (backoff is < 1.0 or > 10.0)
        {
            r.Error(retry, "backoff", retryPath + ".backoff", "must be from 1.0 to 10.0");
            return null;
        }
        if (startToClose > scheduleToClose)
        {
            r.Error(table, "start_to_close", path + ".start_to_close", "is longer than schedule_to_close: one attempt could never finish");
            return null;
        }
        return startToClose is null || scheduleToClose is null || initial is null || backoff is null || maximum is null || attempts is null
            ? null
            : new ExportActivityPolicy(startToClose.Value, scheduleToClose.Value, initial.Value, backoff.Value, maximum.Value, (int)attempts.Value,
                heartbeat, scheduleToStart);
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> ReadGroups(CatalogTomlReader r, TomlTable root, IReadOnlySet<string> typeNames)
    {
        var groups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (r.Table(root, "groups", "") is not { } table)
        {
            return groups;
        }
        foreach (var name in table.Keys)
        {
            var path = $"groups.{name}";
            if (typeNames.Contains(name))
            {
                r.Error(table, name, path, $"'{name}' is a type name already: a group needs a name of its own");
                continue;
            }
            if (r.Strings(table, name, "groups") is not { } members)
            {
                continue;
            }
            foreach (var unknown in members.Where(m => !typeNames.Contains(m)))
            {
                r.Error(table, name, path, $"names unknown type '{unknown}'");
            }
            groups[name] = members;
        }
        return groups;
    }

    private static PublicationNames ReadPublication(CatalogTomlReader r, TomlTable root)
    {
        var models = new Dictionary<string, string>(StringComparer.Ordinal);
        var subsets = new Dictionary<string, PublicSubsetName>(StringComparer.Ordinal);
        if (r.Table(root, "publication", "", required: true) is not { } publication)
        {
            return new(models, subsets);
        }
        r.OnlyKeys(publication, "publication", "models", "subsets");
        foreach (var model in (r.Table(publication, "models", "publication", required: true) ?? []).Keys)
        {
            if (r.String(r.Table(publication, "models", "publication")!, model, "publication.models", required: true) is { } codename)
            {
                models[model] = codename;
            }
        }
        var subsetTable = r.Table(publication, "subsets", "publication", required: true) ?? [];
        foreach (var (id, value) in subsetTable)
        {
            var path = $"publication.subsets.{id}";
            if (value is not TomlTable subset)
            {
                r.Error(subsetTable, id, path, "expected { id = N, name = \"…\", description = \"…\" }");
                continue;
            }
            r.OnlyKeys(subset, path, "id", "name", "description");
            var publicId = r.Integer(subset, "id", path, required: true, min: 1, max: 1_000_000);
            var name = r.String(subset, "name", path, required: true);
            var description = r.String(subset, "description", path, required: true);
            if (publicId is { } n && subsets.Values.FirstOrDefault(s => s.Id == n) is { } taken)
            {
                r.Error(subsetTable, id, path + ".id", $"public id {n} is already '{taken.Name}'s: public ids must be unique");
            }
            else if (publicId is { } pid && name is not null && description is not null)
            {
                subsets[id] = new PublicSubsetName((int)pid, name, description);
            }
        }
        return new(models, subsets);
    }

    [GeneratedRegex("^[a-z]+(-[a-z]+)*$")]
    internal static partial Regex TypeNamePattern();
}
