using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Orchestration;

public sealed class ExportActivityPoliciesTests
{
    [Fact]
    public void Table_EveryImplementedType_HasOwnOptions()
    {
        Assert.Equal(ExportTypeCatalog.ImplementedTypes.Order(), ExportActivityPolicies.Table.Keys.Order());
    }

    [Theory]
    [InlineData("subset-picks", 180, 1200, 5, 60, 6)]
    [InlineData("daily-signals", 60, 600, 5, 60, 6)]
    [InlineData("subset-performance", 600, 2700, 15, 300, 4)]
    [InlineData("subset-definitions", 60, 1800, 10, 120, 5)]
    public void ToActivityOptions_CarriesTableValues(string type, int startToClose, int scheduleToClose, int initial, int maximum, int attempts)
    {
        var options = ExportActivityPolicies.For(type).ToActivityOptions("x");
        Assert.Equal(TimeSpan.FromSeconds(startToClose), options.StartToCloseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(scheduleToClose), options.ScheduleToCloseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(initial), options.RetryPolicy!.InitialInterval);
        Assert.Equal(TimeSpan.FromSeconds(maximum), options.RetryPolicy.MaximumInterval);
        Assert.Equal(2.0f, options.RetryPolicy.BackoffCoefficient);
        Assert.Equal(attempts, options.RetryPolicy.MaximumAttempts);
        Assert.Equal(["InvalidExportRequest", "ContractViolation", "MissingTable", "Credentials", "InvalidObjectName", "GoogleApiRejected", "EmptyInput", "InvalidWarehouseData"],
            options.RetryPolicy.NonRetryableErrorTypes);
    }

    [Fact]
    public void Table_EveryLongActivity_HeartbeatsWellInsideItsStartToClose()
    {
        foreach (var (name, policy) in ExportActivityPolicies.Table.Append(new("span", ExportActivityPolicies.Span)))
        {
            var options = policy.ToActivityOptions("x");
            Assert.True(options.HeartbeatTimeout is { } heartbeat && heartbeat * 2 <= policy.StartToClose, $"{name}: heartbeat {options.HeartbeatTimeout}");
        }
        Assert.Null(ExportActivityPolicies.Guard.ToActivityOptions("x").HeartbeatTimeout);
    }

    [Fact]
    public void Table_RetriesFitInsideScheduleToClose()
    {
        foreach (var (type, policy) in ExportActivityPolicies.Table)
        {
            // Worst case of all attempts timing out must not exceed the schedule-to-close budget by more than one attempt.
            var backoff = Enumerable.Range(0, policy.MaximumAttempts - 1)
                .Sum(i => Math.Min(policy.MaximumInterval.TotalSeconds, policy.InitialInterval.TotalSeconds * Math.Pow(policy.BackoffCoefficient, i)));
            Assert.True(backoff < policy.ScheduleToClose.TotalSeconds, $"{type}: backoff {backoff}s exceeds schedule-to-close");
            Assert.True(policy.StartToClose < policy.ScheduleToClose, type);
        }
    }

    [Fact]
    public void SearchAttributes_ForPlan_DateTypesTrigger()
    {
        var plan = ExportPlanner.Plan(new ExportRequest(["subset-all"], "2026-02-03", Trigger: "schedule:phase6-hourly"), DateTimeOffset.UnixEpoch);
        var attributes = ExportSearchAttributes.For(plan);
        Assert.Equal("2026-02-03", attributes.Get(ExportSearchAttributes.ExportDate));
        Assert.Equal(["subset-picks", "daily-signals", "subset-performance", "subset-definitions"], attributes.Get(ExportSearchAttributes.ExportTypes));
        Assert.Equal("schedule:phase6-hourly", attributes.Get(ExportSearchAttributes.ExportTrigger));
    }

    [Fact]
    public void SearchAttributes_PerformanceOnly_DateIsAsOf()
    {
        var plan = ExportPlanner.Plan(new ExportRequest(["subset-performance"], AsOf: "2026-02-05"), DateTimeOffset.UnixEpoch);
        Assert.Equal("2026-02-05", ExportSearchAttributes.DateOf(plan));
    }
}
