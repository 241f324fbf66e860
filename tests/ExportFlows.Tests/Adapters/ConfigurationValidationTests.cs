using ExportFlows.Activities;
using ExportFlows.Activities.Google;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Tests.Adapters;

/// <summary>Configured Google names are checked against Google's rules before they reach an API path or SQL.</summary>
public sealed class ConfigurationValidationTests
{
    [Theory]
    [InlineData("my-project-123")]
    [InlineData("example.com:my-project")]
    public void Project_Valid_Accepted(string project) => Assert.Equal(project, GoogleResourceNames.Project(project, "project"));

    [Theory]
    [InlineData("..")]
    [InlineData("proj`; DROP TABLE x; --")]
    [InlineData("My-Project")]
    [InlineData("short")]
    [InlineData("1project")]
    [InlineData("project-")]
    [InlineData("a/b/c/d/e/f")]
    public void Project_OutsideGoogleRules_RefusedNamingTheSetting(string project)
    {
        var error = Assert.Throws<InvalidExportRequestException>(() => GoogleResourceNames.Project(project, "BigQuery data project"));
        Assert.StartsWith("invalid BigQuery data project", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my-bucket", true)]
    [InlineData("exports.example.com", true)]
    [InlineData("a_b-c", true)]
    [InlineData("..", false)]
    [InlineData("ab", false)]
    [InlineData("Upper", false)]
    [InlineData("bucket/..", false)]
    [InlineData("google-exports", false)]
    [InlineData("goog-exports", false)]
    [InlineData("192.168.5.4", false)]
    [InlineData("-bucket", false)]
    [InlineData("a..b", false)]
    public void Bucket_GoogleRules(string bucket, bool valid)
    {
        if (valid)
        {
            Assert.Equal(bucket, GoogleResourceNames.Bucket(bucket, "bucket"));
        }
        else
        {
            Assert.Throws<InvalidExportRequestException>(() => GoogleResourceNames.Bucket(bucket, "bucket"));
        }
    }

    [Fact]
    public void CreateWarehouse_DataProjectThatWouldBreakTheSql_RefusedBeforeAnyRequest()
    {
        var options = new ExportFlowsOptions { Warehouse = "bigquery:billing-project", BigQueryDataProject = "data`.x; --", BigQueryEndpoint = "http://127.0.0.1:1/" };

        var error = Assert.Throws<InvalidExportRequestException>(() => ServiceCollectionExtensions.CreateWarehouse(options, NullLoggerFactory.Instance));

        Assert.Contains("invalid BigQuery data project (ExportFlows__BigQueryDataProject) 'data`.x; --'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--warehouse", "bigquery:..", "invalid BigQuery project '..'")]
    [InlineData("--store", "gcs:..", "invalid bucket '..'")]
    [InlineData("--store", "gcs:Bad_Bucket", "invalid bucket 'Bad_Bucket'")]
    public async Task Export_InvalidGoogleName_ExitTwoNothingWritten(string option, string value, string message)
    {
        using var temp = new TempFolder();
        string[] args = option == "--store"
            ? ["export", "--in-process", "--types", "daily-signals", "--date", "2026-02-03", "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", value]
            : ["export", "--in-process", "--types", "daily-signals", "--date", "2026-02-03", "--warehouse", value, "--store", "dir:" + temp.Path];

        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(temp.Files());
    }
}
