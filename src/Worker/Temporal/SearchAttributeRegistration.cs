using ExportFlows.Workflows.Planning;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Temporal;

/// <summary>What registration found: attributes it added, and attributes the namespace already had.</summary>
public sealed record SearchAttributeRegistrationResult(IReadOnlyList<string> Added, IReadOnlyList<string> AlreadyRegistered);

/// <summary>
/// Registers ExportFlows' custom search attributes (<see cref="ExportSearchAttributes"/>) through the operator service,
/// one at a time so one that exists never blocks the others. Idempotent; it never lists attributes, which some servers
/// (the Java test server) do not implement.
/// </summary>
public static class SearchAttributeRegistration
{
    public static string Describe() => string.Join(", ", ExportSearchAttributes.All.Select(k => $"{k.Name} ({k.ValueType})"));

    public static async Task<SearchAttributeRegistrationResult> EnsureAsync(ITemporalClient client, CancellationToken cancellationToken = default)
    {
        var added = new List<string>();
        var existing = new List<string>();
        foreach (var key in ExportSearchAttributes.All)
        {
            var request = new AddSearchAttributesRequest { Namespace = client.Options.Namespace };
            request.SearchAttributes.Add(key.Name, key.ValueType);
            try
            {
                await client.Connection.OperatorService.AddSearchAttributesAsync(request, new RpcOptions { CancellationToken = cancellationToken });
                added.Add(key.Name);
            }
            catch (RpcException ex) when (ex.Code == RpcException.StatusCode.AlreadyExists)
            {
                existing.Add(key.Name);
            }
            catch (RpcException ex) when (ex.Code != RpcException.StatusCode.Unavailable && ex.Code != RpcException.StatusCode.DeadlineExceeded)
            {
                throw new SearchAttributeRegistrationException(
                    $"cannot register the search attribute {key.Name} in namespace {client.Options.Namespace}: {ex.Message} ({ex.Code}). " +
                    $"ExportFlows needs {Describe()}. On Temporal Cloud add them in the Cloud UI (Namespace > Search Attributes) or with " +
                    "'tcld namespace search-attributes add'; on a self-hosted server run 'exportflows setup' with operator rights, or " +
                    "'temporal operator search-attribute create --name NAME --type TYPE' for each.");
            }
        }
        return new SearchAttributeRegistrationResult(added, existing);
    }
}

/// <summary>The server refused to register a search attribute (no rights, or a server such as Temporal Cloud where the console does it).</summary>
public sealed class SearchAttributeRegistrationException(string message) : Exception(message);
