using ExportFlows.Tests.Support;
using ExportFlows.Worker.Temporal;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Orchestration;

public sealed class SearchAttributeRegistrationTests
{
    [Fact]
    public void Describe_NamesEveryAttributeWithItsType() =>
        Assert.Equal("ExportDate (Keyword), ExportTypes (KeywordList), ExportTrigger (Keyword)", SearchAttributeRegistration.Describe());

    [TemporalFact]
    public async Task EnsureAsync_Repeated_IdempotentAndCoversEveryAttribute()
    {
        var client = TemporalTestServer.Client;

        var first = await SearchAttributeRegistration.EnsureAsync(client).Within();
        var second = await SearchAttributeRegistration.EnsureAsync(client).Within();

        var all = ExportSearchAttributes.All.Select(k => k.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(all, first.Added.Concat(first.AlreadyRegistered).Order(StringComparer.Ordinal));
        Assert.Equal(all, second.Added.Concat(second.AlreadyRegistered).Order(StringComparer.Ordinal));
    }
}
