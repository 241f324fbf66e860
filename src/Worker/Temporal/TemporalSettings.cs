using ExportFlows.Activities;
using ExportFlows.Workflows.Orchestration;
using Temporalio.Client;
using Temporalio.Worker;

namespace ExportFlows.Worker.Temporal;

/// <summary>The <c>Temporal</c> configuration section (env: <c>Temporal__Address</c>, …).</summary>
public sealed record TemporalSettings
{
    public const string Section = "Temporal";

    /// <summary>host:port of the frontend; empty = no cluster configured.</summary>
    public string? Address { get; init; }

    public string Namespace { get; init; } = "default";

    public string TaskQueue { get; init; } = "exportflows";

    /// <summary>Temporal Cloud API key (enables TLS).</summary>
    public string? ApiKey { get; init; }

    /// <summary>mTLS client certificate and key (PEM files), e.g. for Temporal Cloud.</summary>
    public string? TlsCertPath { get; init; }

    public string? TlsKeyPath { get; init; }

    /// <summary>Base URL of the Temporal Web UI, for links in reports.</summary>
    public string? UiUrl { get; init; }

    public TimeSpan GracefulShutdown { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a waited-for run may go without a worker picking it up before the CLI says so.</summary>
    public TimeSpan PickupPatience { get; init; } = TimeSpan.FromSeconds(5);

    public TemporalClientConnectOptions ConnectOptions()
    {
        if (string.IsNullOrWhiteSpace(Address))
        {
            throw new TemporalNotConfiguredException("no Temporal address configured: pass --temporal HOST:PORT or set Temporal__Address");
        }
        if (!HasPort(Address))
        {
            throw new TemporalNotConfiguredException(
                $"the Temporal address '{Address}' has no port: write HOST:PORT, e.g. {Address.Trim().TrimEnd(':')}:7233 (--temporal or Temporal__Address)");
        }
        var options = new TemporalClientConnectOptions(Address) { Namespace = Namespace };
        if (!string.IsNullOrWhiteSpace(ApiKey))
        {
            options.ApiKey = ApiKey;
            options.Tls = new TlsOptions();
        }
        if (!string.IsNullOrWhiteSpace(TlsCertPath) && !string.IsNullOrWhiteSpace(TlsKeyPath))
        {
            options.Tls = new TlsOptions { ClientCert = File.ReadAllBytes(TlsCertPath), ClientPrivateKey = File.ReadAllBytes(TlsKeyPath) };
        }
        return options;
    }

    /// <summary>Connects, or fails with <see cref="TemporalUnavailableException"/> saying what to check.</summary>
    public async Task<TemporalClient> ConnectAsync()
    {
        var options = ConnectOptions();
        try
        {
            return await TemporalClient.ConnectAsync(options);
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Connection failed", StringComparison.Ordinal))
        {
            throw new TemporalUnavailableException(
                $"cannot connect to Temporal at {Address} (namespace {Namespace}): {ex.Message.Split('\n')[0]}; is the server running and Temporal__Address right?");
        }
    }

    /// <summary>HOST:PORT (a bracketed IPv6 host too) with a port from 1 to 65535.</summary>
    public static bool HasPort(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon > 0 && colon > address.LastIndexOf(']') &&
            int.TryParse(address.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535;
    }

    public string? WorkflowLink(string workflowId) =>
        string.IsNullOrWhiteSpace(UiUrl) ? null : $"{UiUrl.TrimEnd('/')}/namespaces/{Namespace}/workflows/{Uri.EscapeDataString(workflowId)}";
}

/// <summary>No Temporal address is configured: a configuration error, not an outage.</summary>
public sealed class TemporalNotConfiguredException(string message) : Exception(message);

/// <summary>The Temporal frontend could not be reached.</summary>
public sealed class TemporalUnavailableException(string message) : Exception(message);

/// <summary>The Temporal server lacks an API a verb needs (Schedules, visibility); the message says which and what to use instead.</summary>
public sealed class TemporalCapabilityException(string message) : Exception(message);
