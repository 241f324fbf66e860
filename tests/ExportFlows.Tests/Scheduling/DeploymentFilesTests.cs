using ExportFlows.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace ExportFlows.Tests.Scheduling;

/// <summary>The compose stack cannot be run here (no Docker engine); its structure is checked instead.</summary>
public sealed class DeploymentFilesTests
{
    private static string Root => RepositoryFiles.Root;

    private static YamlMappingNode Compose()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root, "docker-compose.yml"))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)((YamlMappingNode)Compose()["services"])[name];

    private static string Env(string service, string key) => ((YamlScalarNode)((YamlMappingNode)Service(service)["environment"])[key]).Value!;

    private static IEnumerable<string> Sequence(YamlNode node) => ((YamlSequenceNode)node).Children.Select(c => ((YamlScalarNode)c).Value!);

    private static Dictionary<string, string> DependsOn(string service) =>
        ((YamlMappingNode)Service(service)["depends_on"]).Children.ToDictionary(
            kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)((YamlMappingNode)kv.Value)["condition"]).Value!);

    [Fact]
    public void Compose_Services_TemporalOnPostgresUiSetupWorkerSchedules()
    {
        var services = ((YamlMappingNode)Compose()["services"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
        Assert.Equal(["postgresql", "temporal-schema", "temporal", "temporal-setup", "exportflows-setup", "temporal-ui", "worker", "schedules", "prometheus", "grafana"], services);
        Assert.StartsWith("postgres:", ((YamlScalarNode)Service("postgresql")["image"]).Value, StringComparison.Ordinal);
        // The official layout: the plain server image, its schema set up by an admin-tools job; every image pinned.
        Assert.StartsWith("temporalio/server:1.", ((YamlScalarNode)Service("temporal")["image"]).Value, StringComparison.Ordinal);
        Assert.StartsWith("temporalio/admin-tools:1.", ((YamlScalarNode)Service("temporal-schema")["image"]).Value, StringComparison.Ordinal);
        var compose = (YamlMappingNode)Compose()["services"];
        foreach (var (key, value) in compose.Children)
        {
            if (((YamlMappingNode)value).Children.TryGetValue(new YamlScalarNode("image"), out var image) && ((YamlScalarNode)image).Value is { } tag && !tag.StartsWith("exportflows:", StringComparison.Ordinal))
            {
                Assert.Matches(@":v?\d+\.\d+(\.\d+)?$", tag);
            }
        }
        Assert.StartsWith("temporalio/ui:", ((YamlScalarNode)Service("temporal-ui")["image"]).Value, StringComparison.Ordinal);
        Assert.StartsWith("temporalio/admin-tools:", ((YamlScalarNode)Service("temporal-setup")["image"]).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_PortsAndDependencies()
    {
        Assert.Equal(["7233:7233"], Sequence(Service("temporal")["ports"]));
        Assert.Equal(["8080:8080"], Sequence(Service("temporal-ui")["ports"]));
        Assert.Equal(new Dictionary<string, string> { ["postgresql"] = "service_healthy" }, DependsOn("temporal-schema"));
        Assert.Equal(new Dictionary<string, string> { ["temporal-schema"] = "service_completed_successfully" }, DependsOn("temporal"));
        Assert.Equal(new Dictionary<string, string> { ["temporal"] = "service_healthy" }, DependsOn("temporal-setup"));
        Assert.Equal(new Dictionary<string, string> { ["temporal-setup"] = "service_completed_successfully" }, DependsOn("exportflows-setup"));
        Assert.Equal(new Dictionary<string, string> { ["temporal"] = "service_healthy" }, DependsOn("temporal-ui"));
        Assert.Equal(new Dictionary<string, string> { ["worker"] = "service_healthy" }, DependsOn("schedules"));
        Assert.Equal(new Dictionary<string, string> { ["exportflows-setup"] = "service_completed_successfully" }, DependsOn("worker"));
        Assert.Equal(["setup"], Sequence(Service("exportflows-setup")["command"]));
        Assert.Equal(["CMD", "nc", "-z", "localhost", "7233"], Sequence(((YamlMappingNode)Service("temporal")["healthcheck"])["test"]));
        Assert.Equal(["schedules", "sync"], Sequence(Service("schedules")["command"]));
    }

    [Fact]
    public void Compose_Catalog_TheRepositorysFileMountedForTheWorkerAndTheScheduleSync()
    {
        foreach (var service in new[] { "worker", "schedules" })
        {
            Assert.Equal("/etc/exportflows/catalog.toml", Env(service, "ExportFlows__Catalog"));
            Assert.Contains("${EXPORTFLOWS_CATALOG_FILE:-./catalog/exportflows.toml}:/etc/exportflows/catalog.toml:ro", Sequence(Service(service)["volumes"]));
        }
        Assert.True(File.Exists(Path.Combine(Root, "catalog", "exportflows.toml")));
    }

    [Fact]
    public void Compose_Variables_WorkerAndServerConfigured()
    {
        Assert.Equal("postgres12", Env("temporal", "DB"));
        Assert.Equal("postgresql", Env("temporal", "POSTGRES_SEEDS"));
        Assert.Equal(Env("postgresql", "POSTGRES_PASSWORD"), Env("temporal", "POSTGRES_PWD"));
        Assert.Equal("temporal:7233", Env("temporal-ui", "TEMPORAL_ADDRESS"));
        Assert.Equal("temporal:7233", Env("worker", "Temporal__Address"));
        Assert.Equal("exportflows", Env("worker", "Temporal__TaskQueue"));
        Assert.Equal(Env("worker", "Temporal__TaskQueue"), Env("schedules", "Temporal__TaskQueue"));
        Assert.Equal("${EXPORTFLOWS_STORE:-dir:/data/out}", Env("worker", "ExportFlows__Store"));
        // A named volume the non-root worker can write (a bind mount Docker creates would belong to root).
        Assert.Contains("${EXPORTFLOWS_OUT:-exportflows-out}:/data/out", Sequence(Service("worker")["volumes"]));
        Assert.True(((YamlMappingNode)Compose()["volumes"]).Children.ContainsKey(new YamlScalarNode("exportflows-out")));
        var dynamicConfig = Env("temporal", "DYNAMIC_CONFIG_FILE_PATH");
        Assert.True(File.Exists(Path.Combine(Root, "temporal", "dynamicconfig", Path.GetFileName(dynamicConfig))), dynamicConfig);
    }

    [Fact]
    public void Compose_Worker_ServesPushAndReadinessOnOnePortWithHealthCheck()
    {
        Assert.Equal(["worker", "--http", "http://0.0.0.0:8081"], Sequence(Service("worker")["command"]));
        Assert.Equal(["8081:8081"], Sequence(Service("worker")["ports"]));
        var check = string.Join(" ", Sequence(((YamlMappingNode)Service("worker")["healthcheck"])["test"]));
        Assert.Contains("/dev/tcp/127.0.0.1/8081", check, StringComparison.Ordinal);
        Assert.Contains("GET /readyz", check, StringComparison.Ordinal);
        Assert.Equal("${EXPORTFLOWS_PUSH_INSECURE_NO_AUTH:-true}", Env("worker", "PubSub__InsecureNoAuth"));
        Assert.Contains(File.ReadAllLines(Path.Combine(Root, "Dockerfile")), l => l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_PrometheusScrapesTheWorkerAndGrafanaIsProvisioned()
    {
        var prometheus = new YamlStream();
        prometheus.Load(new StringReader(File.ReadAllText(Path.Combine(Root, "deploy", "prometheus", "prometheus.yml"))));
        var job = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)prometheus.Documents[0].RootNode)["scrape_configs"]).Children.Single();
        var targets = Sequence(((YamlMappingNode)((YamlSequenceNode)job["static_configs"]).Children.Single())["targets"]);
        Assert.Equal(["worker:8081"], targets);
        Assert.Equal("/metrics", ((YamlScalarNode)job["metrics_path"]).Value);
        Assert.Contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro", Sequence(Service("prometheus")["volumes"]));
        Assert.Equal(new Dictionary<string, string> { ["prometheus"] = "service_healthy" }, DependsOn("grafana"));
        Assert.Contains("./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro", Sequence(Service("grafana")["volumes"]));
        Assert.True(File.Exists(Path.Combine(Root, "deploy", "grafana", "provisioning", "datasources", "prometheus.yml")));
        using var dashboard = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "deploy", "grafana", "dashboards", "exportflows.json")));
        var titles = dashboard.RootElement.GetProperty("panels").EnumerateArray().Select(p => p.GetProperty("title").GetString()!).ToList();
        Assert.Contains(titles, t => t.StartsWith("Freshness", StringComparison.Ordinal));
        Assert.Contains(titles, t => t.StartsWith("Failures", StringComparison.Ordinal));
        Assert.Contains(titles, t => t.StartsWith("Export duration", StringComparison.Ordinal));
        Assert.Contains(titles, t => t.StartsWith("Temporal:", StringComparison.Ordinal));
        Assert.All(new[] { "prometheus", "grafana" }, s => Assert.DoesNotContain(":latest", ((YamlScalarNode)Service(s)["image"]).Value, StringComparison.Ordinal));
    }

    [Fact]
    public void SetupScripts_SchemaAndNamespaceIdempotent_SearchAttributesByExportflowsSetup()
    {
        var schema = File.ReadAllText(Path.Combine(Root, "temporal", "setup-schema.sh"));
        Assert.Contains("temporal-sql-tool --plugin postgres12", schema, StringComparison.Ordinal);
        Assert.Contains("update-schema -d \"/etc/temporal/schema/postgresql/v12/$dir/versioned\"", schema, StringComparison.Ordinal);
        Assert.Contains("temporal_visibility:visibility", schema, StringComparison.Ordinal);
        var setup = File.ReadAllText(Path.Combine(Root, "temporal", "setup.sh"));
        Assert.Contains("until temporal operator cluster health", setup, StringComparison.Ordinal);
        Assert.Contains("temporal operator namespace describe --namespace \"$TEMPORAL_NAMESPACE\" -o json", setup, StringComparison.Ordinal);
        Assert.DoesNotContain("grep -q \"^", setup, StringComparison.Ordinal);
        Assert.Contains("./temporal/setup.sh:/setup.sh:ro", Sequence(Service("temporal-setup")["volumes"]));
        Assert.Contains("./temporal/setup-schema.sh:/setup-schema.sh:ro", Sequence(Service("temporal-schema")["volumes"]));
    }

    [Fact]
    public void Dockerfile_MultiStageBuildOfTheWorker()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "Dockerfile"));
        Assert.Equal(2, lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("dotnet publish src/Worker/ExportFlows.Worker.csproj", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("COPY --from=build", StringComparison.Ordinal));
        // Lean: one runtime, restore cached before the sources are copied, non-root.
        Assert.Contains(lines, l => l.StartsWith("RUN dotnet publish", StringComparison.Ordinal) && l.Contains("-r linux-x64 --self-contained false", StringComparison.Ordinal));
        var restore = Array.FindIndex(lines, l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        Assert.True(restore > 0 && restore < Array.FindIndex(lines, l => l.StartsWith("COPY src/ src/", StringComparison.Ordinal)), "restore runs before the sources are copied");
        Assert.Contains("--locked-mode", lines[restore], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("USER ", StringComparison.Ordinal) && !l.Contains("root", StringComparison.Ordinal));
        Assert.Equal("Dockerfile", ((YamlScalarNode)((YamlMappingNode)Service("worker")["build"])["dockerfile"]).Value);
    }
}
