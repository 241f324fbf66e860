using Google.Protobuf;
using Temporalio.Api.Common.V1;

namespace ExportFlows.Tests.Support;

/// <summary>The activity contract's fixture files (contracts/external-export/fixtures), read by the Python tests too.</summary>
public static class ContractFixtures
{
    public static string PathOf(params string[] parts) => RepositoryFiles.PathOf(["contracts", "external-export", "fixtures", .. parts]);

    public static string Text(string name) => File.ReadAllText(PathOf(name));

    /// <summary>JSON text as the payload a worker in any language sends (<c>json/plain</c>).</summary>
    public static Payload JsonPayload(string json) => new()
    {
        Metadata = { ["encoding"] = ByteString.CopyFromUtf8("json/plain") },
        Data = ByteString.CopyFromUtf8(json),
    };
}
