using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Orchestration;

public sealed class ExportActivityPoliciesTests
{
    [Fact]
    public void Table_EveryType_CheckedFieldByFieldBelow()
    {
        var checkedTypes = new[] { nameof(ToExternalActivityOptions_CarriesTableValuesAndQueue), nameof(ToActivityOptions_CarriesTableValues) }
            .SelectMany(m => typeof(ExportActivityPoliciesTests).GetMethod(m)!.GetCustomAttributes(typeof(InlineDataAttribute), false))
            .Select(a => (string)((InlineDataAttribute)a).GetData(null!).Single()[0]);
        Assert.Equal(ExportCatalog.Shipped.TypeNames.Order(), checkedTypes.Order());
    }

    // start-to-close, schedule-to-close, heartbeat, initial and maximum backoff (s), attempts (0: until schedule-to-close), schedule-to-start
    [Theory]
    [InlineData("results", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("performance", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("best-bets", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("predictions", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("tonight", 600, 2700, 60, 15, 300, 0, 300)]
    [InlineData("tonight-players", 1200, 3600, 60, 15, 300, 0, 300)]
    [InlineData("streaks", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("trends-hot-cold", 300, 2700, 60, 15, 300, 0, 300)]
    [InlineData("trends-bounce-back", 300, 2700, 60, 15, 300, 0, 300)]
    [InlineData("trends-what-matters", 300, 2700, 60, 15, 300, 0, 300)]
    [InlineData("trends-team", 300, 2700, 60, 15, 300, 0, 300)]
    [InlineData("trends-quick-hits", 300, 2700, 60, 15, 300, 0, 300)]
    [InlineData("trends-deep-dive", 600, 3600, 60, 15, 300, 0, 300)]
    [InlineData("tonight-trend-plays", 300, 2700, 60, 15, 300, 0, 300)]
    [InlineData("live", 90, 150, 30, 5, 15, 3, 60)]
    [InlineData("live-grading", 90, 150, 30, 5, 15, 3, 60)]
    [InlineData("player-profiles", 1800, 7200, 60, 30, 600, 0, 300)]
    [InlineData("calendar", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("season-game-counts", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("trends-tonight", 300, 2700, 60, 15, 300, 0, 300)]
    [InlineData("season-subsets", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("discover-models", 600, 1200, 60, 10, 60, 3, 300)]
    [InlineData("materialize-subsets", 600, 1200, 60, 10, 60, 3, 300)]
    [InlineData("cross-model-subsets", 600, 1200, 60, 10, 60, 3, 300)]
    [InlineData("annotate-signals", 600, 1200, 60, 10, 60, 3, 300)]
    [InlineData("backfill-signal-best-bets", 600, 1200, 60, 10, 60, 3, 300)]
    [InlineData("backfill-filtered-picks", 600, 1200, 60, 10, 60, 3, 300)]
    [InlineData("compute-signal-health", 600, 1200, 60, 10, 60, 3, 300)]
    [InlineData("compute-model-performance", 600, 1200, 60, 10, 60, 3, 300)]
    [InlineData("compute-model-profiles", 600, 1200, 60, 10, 60, 3, 300)]
    [InlineData("compute-league-macro", 600, 1200, 60, 10, 60, 3, 300)]
    [InlineData("signal-best-bets", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("signal-health", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("model-health", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("best-bets-record", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("best-bets-today", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("best-bets-all", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("admin-picks", 300, 1800, 60, 10, 120, 0, 300)]
    [InlineData("admin-dashboard", 300, 1800, 60, 10, 120, 0, 300)]
    public void ToExternalActivityOptions_CarriesTableValuesAndQueue(string type, int startToClose, int scheduleToClose, int heartbeat, int initial, int maximum, int attempts, int scheduleToStart)
    {
        var options = ExportCatalog.Shipped.Get(type).Policy.ToExternalActivityOptions("x", "exportflows-python");
        Assert.Equal("exportflows-python", options.TaskQueue);
        Assert.Equal(TimeSpan.FromSeconds(startToClose), options.StartToCloseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(scheduleToClose), options.ScheduleToCloseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(heartbeat), options.HeartbeatTimeout);
        Assert.Equal(TimeSpan.FromSeconds(scheduleToStart), options.ScheduleToStartTimeout);
        Assert.Equal(TimeSpan.FromSeconds(initial), options.RetryPolicy!.InitialInterval);
        Assert.Equal(TimeSpan.FromSeconds(maximum), options.RetryPolicy.MaximumInterval);
        Assert.Equal(2.0f, options.RetryPolicy.BackoffCoefficient);
        Assert.Equal(attempts, options.RetryPolicy.MaximumAttempts);
        Assert.Contains("MissingTable", options.RetryPolicy.NonRetryableErrorTypes!);
        Assert.DoesNotContain("NotReady", options.RetryPolicy.NonRetryableErrorTypes!);
        // Configuration overrides the schedule-to-start of every external type.
        Assert.Equal(TimeSpan.FromSeconds(2), ExportCatalog.Shipped.Get(type).Policy.ToExternalActivityOptions("x", "q", TimeSpan.FromSeconds(2)).ScheduleToStartTimeout);
    }

    [Fact]
    public void Table_NativeTypes_NoScheduleToStartOrOtherQueue()
    {
        Assert.All(ExportCatalog.Shipped.NativeTypes, t =>
        {
            var options = ExportCatalog.Shipped.Get(t).Policy.ToActivityOptions("x");
            Assert.Null(options.ScheduleToStartTimeout);
            Assert.Null(options.TaskQueue);
        });
    }

    [Fact]
    public void Table_Live_FinishesBeforeTheNextRunThreeMinutesLater() =>
        Assert.True(ExportCatalog.Shipped.Get("live").Policy.ScheduleToClose < TimeSpan.FromMinutes(3));

    [Fact]
    public void MayRetry_NotReadyUnlimitedAttempts_UntilScheduleToClose()
    {
        var policy = ExportCatalog.Shipped.Get("tonight-players").Policy;
        Assert.True(policy.MayRetry(40, TimeSpan.FromMinutes(30), "NotReady", nonRetryable: false));
        Assert.False(policy.MayRetry(41, TimeSpan.FromMinutes(58), "NotReady", nonRetryable: false));
        Assert.False(policy.MayRetry(1, TimeSpan.Zero, "MissingTable", nonRetryable: false));
    }

    [Theory]
    [InlineData("subset-picks", 180, 1200, 5, 60, 6, 30)]
    [InlineData("daily-signals", 60, 600, 5, 60, 6, 30)]
    [InlineData("subset-performance", 600, 2700, 15, 300, 4, 60)]
    [InlineData("subset-definitions", 60, 1800, 10, 120, 5, 30)]
    public void ToActivityOptions_CarriesTableValues(string type, int startToClose, int scheduleToClose, int initial, int maximum, int attempts, int heartbeat)
    {
        var options = ExportCatalog.Shipped.Get(type).Policy.ToActivityOptions("x");
        Assert.Equal(TimeSpan.FromSeconds(heartbeat), options.HeartbeatTimeout);
        Assert.Null(ExportCatalog.Shipped.Get(type).Policy.ScheduleToStart);
        Assert.Equal(TimeSpan.FromSeconds(startToClose), options.StartToCloseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(scheduleToClose), options.ScheduleToCloseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(initial), options.RetryPolicy!.InitialInterval);
        Assert.Equal(TimeSpan.FromSeconds(maximum), options.RetryPolicy.MaximumInterval);
        Assert.Equal(2.0f, options.RetryPolicy.BackoffCoefficient);
        Assert.Equal(attempts, options.RetryPolicy.MaximumAttempts);
        Assert.Equal(["InvalidExportRequest", "ContractViolation", "MissingTable", "Credentials", "InvalidObjectName", "GoogleApiRejected", "EmptyInput", "InvalidWarehouseData", "StoreNotWritable", "StoreLinkOutsideRoot",
            "StorePathConflict", "QueryOverBudget", "MissingValue"],
            options.RetryPolicy.NonRetryableErrorTypes);
    }

    [Fact]
    public void Table_EveryLongActivity_HeartbeatsWellInsideItsStartToClose()
    {
        foreach (var (name, policy) in ExportCatalog.Shipped.Types.Select(t => new KeyValuePair<string, ExportActivityPolicy>(t.Name, t.Policy)).Append(new("span", ExportActivityPolicies.Span)))
        {
            var options = policy.ToActivityOptions("x");
            Assert.True(options.HeartbeatTimeout is { } heartbeat && heartbeat * 2 <= policy.StartToClose, $"{name}: heartbeat {options.HeartbeatTimeout}");
        }
        Assert.Null(ExportActivityPolicies.Guard.ToActivityOptions("x").HeartbeatTimeout);
    }

    [Fact]
    public void Table_RetriesFitInsideScheduleToClose()
    {
        foreach (var (type, policy) in ExportCatalog.Shipped.Types.Select(t => (t.Name, t.Policy)))
        {
            // Worst case of all attempts timing out must not exceed the schedule-to-close budget by more than one attempt.
            // Unlimited attempts (0) are bounded by schedule-to-close itself; check the first backoff fits.
            var backoff = Enumerable.Range(0, Math.Max(1, policy.MaximumAttempts - 1))
                .Sum(i => Math.Min(policy.MaximumInterval.TotalSeconds, policy.InitialInterval.TotalSeconds * Math.Pow(policy.BackoffCoefficient, i)));
            Assert.True(backoff < policy.ScheduleToClose.TotalSeconds, $"{type}: backoff {backoff}s exceeds schedule-to-close");
            Assert.True(policy.StartToClose < policy.ScheduleToClose, type);
        }
    }

    [Fact]
    public void SearchAttributes_ForPlan_DateTypesTrigger()
    {
        // The as-of date is today on the clock, which must be a sane one (ExportDates.EarliestClock..LatestClock).
        var plan = ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["subset-all"], "2026-02-03", Trigger: "schedule:phase6-hourly"), new DateTimeOffset(2026, 2, 3, 17, 0, 0, TimeSpan.Zero));
        var attributes = ExportSearchAttributes.For(plan);
        Assert.Equal("2026-02-03", attributes.Get(ExportSearchAttributes.ExportDate));
        Assert.Equal(["subset-picks", "daily-signals", "subset-performance", "subset-definitions"], attributes.Get(ExportSearchAttributes.ExportTypes));
        Assert.Equal("schedule:phase6-hourly", attributes.Get(ExportSearchAttributes.ExportTrigger));
    }

    [Fact]
    public void SearchAttributes_PerformanceOnly_DateIsAsOf()
    {
        var plan = ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["subset-performance"], AsOf: "2026-02-05"), DateTimeOffset.UnixEpoch);
        Assert.Equal("2026-02-05", ExportSearchAttributes.DateOf(plan));
    }
}
