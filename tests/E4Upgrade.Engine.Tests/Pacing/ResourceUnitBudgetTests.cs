using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;
using Xunit;

namespace E4Upgrade.Engine.Tests.Pacing;

public class ResourceUnitBudgetTests
{
    private const string ResourceUnits = GraphResponseHeaders.ResourceUnitLimitExceeded;
    private const string Writes = GraphResponseHeaders.WriteLimitExceeded;
    private readonly ManualClock _clock = new(autoAdvance: false);

    // The documented small-tenant quota: reads get 0.9 x (3,500 - 20 x 10) = 2,970 units per 10 s.
    private ResourceUnitBudget Budget(Action<ResourceUnitBudgetSettings>? configure = null)
    {
        var settings = new ResourceUnitBudgetSettings();
        configure?.Invoke(settings);
        return new ResourceUnitBudget(settings, _clock);
    }

    [Fact]
    public void Without_knowing_the_tenant_size_reads_get_the_small_tenant_quota_minus_the_writes_share()
    {
        var budget = Budget();

        Assert.Equal(3500, budget.QuotaPerWindow);
        Assert.Equal(2970, budget.ReadUnitsPerWindow, 6);
        Assert.Equal(TimeSpan.Zero, budget.TryTakeRead(2970));
        Assert.Equal(TimeSpan.FromSeconds(1), budget.TryTakeRead(297));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, budget.TryTakeRead(297));
    }

    [Fact]
    public void A_read_dearer_than_the_whole_budget_goes_once_it_is_full_and_leaves_a_debt()
    {
        var budget = Budget(s => s.ResourceUnitsPerWindow = 100);

        Assert.Equal(TimeSpan.Zero, budget.TryTakeRead(500));
        Assert.True(budget.TryTakeRead(1) > TimeSpan.FromSeconds(10), "the debt of 500 - 90 units is paid back before the next read");
    }

    [Fact]
    public void Seeing_more_users_than_a_tier_allows_raises_the_quota_and_frees_the_difference_at_once()
    {
        var budget = Budget();
        Assert.Equal(TimeSpan.Zero, budget.TryTakeRead(2970));

        budget.TenantHasAtLeast(49);
        Assert.Equal(3500, budget.QuotaPerWindow);
        budget.TenantHasAtLeast(50);
        Assert.Equal(5000, budget.QuotaPerWindow);
        budget.TenantHasAtLeast(501);

        Assert.Equal(8000, budget.QuotaPerWindow);
        Assert.Equal(TimeSpan.Zero, budget.TryTakeRead(7020 - 2970));
        Assert.True(budget.TryTakeRead(1) > TimeSpan.Zero);
        budget.TenantHasAtLeast(10);
        Assert.Equal(8000, budget.QuotaPerWindow);
    }

    [Fact]
    public void A_configured_quota_is_not_changed_by_the_tenant_size()
    {
        var budget = Budget(s => s.ResourceUnitsPerWindow = 200);

        budget.TenantHasAtLeast(100_000);

        Assert.Equal(200, budget.QuotaPerWindow);
    }

    [Fact]
    public void A_resource_unit_429_to_a_read_pauses_every_read_and_write_until_its_Retry_After()
    {
        var budget = Budget();

        budget.Answered(isRead: true, status: 429, retryAfter: TimeSpan.FromSeconds(3), ResourceUnits, 1.2);

        Assert.Equal(TimeSpan.FromSeconds(3), budget.PauseRemaining);
        Assert.Equal(TimeSpan.FromSeconds(3), budget.TryTakeRead(1));
        _clock.Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromTicks(1));
        Assert.Equal(TimeSpan.FromTicks(1), budget.PauseRemaining);
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(TimeSpan.Zero, budget.PauseRemaining);
        Assert.Equal(1, budget.Pauses);
    }

    [Fact]
    public void After_a_resource_unit_429_reads_start_again_from_an_empty_budget()
    {
        var budget = Budget();

        budget.Answered(true, 429, TimeSpan.FromSeconds(1), ResourceUnits, null);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.Zero, budget.TryTakeRead(297));
        Assert.Equal(TimeSpan.FromSeconds(1), budget.TryTakeRead(297));
    }

    [Fact]
    public void A_resource_unit_429_to_a_write_pauses_the_reads_too()
    {
        var budget = Budget();

        budget.Answered(isRead: false, status: 429, retryAfter: TimeSpan.FromSeconds(2), ResourceUnits, 1.0);

        Assert.Equal(TimeSpan.FromSeconds(2), budget.TryTakeRead(1));
    }

    [Fact]
    public void A_write_limit_429_holds_no_read_and_takes_nothing_from_the_budget()
    {
        var budget = Budget();

        budget.Answered(isRead: false, status: 429, retryAfter: TimeSpan.FromSeconds(5), Writes, 1.3);
        budget.Answered(isRead: false, status: 429, retryAfter: TimeSpan.FromSeconds(5), null, 1.3);

        Assert.Equal(TimeSpan.Zero, budget.PauseRemaining);
        Assert.Equal(TimeSpan.Zero, budget.TryTakeRead(2970));
        Assert.Equal(0, budget.Pauses);
    }

    [Fact]
    public void A_429_that_names_no_limit_holds_nothing_and_does_not_shrink_the_budget()
    {
        var budget = Budget();

        for (var i = 0; i < 50; i++)
        {
            budget.Answered(isRead: true, status: 429, retryAfter: TimeSpan.FromSeconds(1), null, null);
        }

        Assert.Equal(TimeSpan.Zero, budget.PauseRemaining);
        Assert.Equal(TimeSpan.Zero, budget.TryTakeRead(2970));
    }

    [Fact]
    public void A_read_429_that_names_another_limit_or_reports_the_limit_reached_pauses_the_session()
    {
        var cpu = Budget();
        cpu.Answered(true, 429, TimeSpan.FromSeconds(2), "CPULimitExceeded", null);
        var full = Budget();
        full.Answered(true, 429, TimeSpan.FromSeconds(2), null, 1.0);

        Assert.Equal(TimeSpan.FromSeconds(2), cpu.PauseRemaining);
        Assert.Equal(TimeSpan.FromSeconds(2), full.PauseRemaining);
    }

    [Fact]
    public void A_later_shorter_pause_does_not_end_a_longer_one()
    {
        var budget = Budget();

        budget.Answered(true, 429, TimeSpan.FromSeconds(10), ResourceUnits, null);
        _clock.Advance(TimeSpan.FromSeconds(1));
        budget.Answered(true, 429, TimeSpan.FromSeconds(2), ResourceUnits, null);

        Assert.Equal(TimeSpan.FromSeconds(9), budget.PauseRemaining);
    }

    [Fact]
    public void A_429_without_Retry_After_pauses_for_the_default()
    {
        var budget = Budget(s => s.DefaultRetryAfter = TimeSpan.FromSeconds(4));

        budget.Answered(true, 429, null, ResourceUnits, null);

        Assert.Equal(TimeSpan.FromSeconds(4), budget.PauseRemaining);
    }

    [Fact]
    public void The_percentage_Graph_reports_on_a_read_caps_what_is_left()
    {
        var budget = Budget();

        // Graph has 5% of 3,500 left (another session of the app used it): keep the full-bucket distance of 530 units.
        budget.Answered(isRead: true, status: 200, retryAfter: null, null, 0.95);

        AssertAbout(TimeSpan.FromSeconds((3325 - 2970 + 1) / 297.0), budget.TryTakeRead(1));
    }

    [Fact]
    public void The_percentage_on_a_write_answer_is_the_write_pacers_business()
    {
        var budget = Budget();

        budget.Answered(isRead: false, status: 200, retryAfter: null, null, 0.97);

        Assert.Equal(TimeSpan.Zero, budget.TryTakeRead(2970));
    }

    [Fact]
    public void The_cost_Graph_reports_replaces_the_cost_taken()
    {
        var budget = Budget();
        Assert.Equal(TimeSpan.Zero, budget.TryTakeRead(1));

        budget.ReadCharged(taken: 1, reported: 2970);

        AssertAbout(TimeSpan.FromSeconds(1 / 297.0), budget.TryTakeRead(1));
        budget.ReadCharged(taken: 2970, reported: 1);
        Assert.Equal(TimeSpan.Zero, budget.TryTakeRead(2969));
    }

    [Fact]
    public async Task Waiting_for_a_read_or_a_write_waits_out_exactly_the_pause()
    {
        var clock = new ManualClock();
        var budget = new ResourceUnitBudget(null, clock);
        budget.Answered(true, 429, TimeSpan.FromSeconds(2.5), ResourceUnits, null);

        await budget.WaitForWriteAsync(CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(2.5), clock.Now);
        budget.Answered(false, 429, TimeSpan.FromSeconds(1), ResourceUnits, null);
        await budget.WaitForReadAsync(1, CancellationToken.None);

        // The pause, then the 1 unit refilling at 297 units/s into the emptied budget.
        Assert.Equal(new[] { TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(1) }, clock.Delays.Take(2));
        Assert.True(clock.Now >= TimeSpan.FromSeconds(3.5));
    }

    private static void AssertAbout(TimeSpan expected, TimeSpan actual) =>
        Assert.True((actual - expected).Duration() <= TimeSpan.FromTicks(2), $"expected {expected}, got {actual}");

    [Fact]
    public async Task Reads_that_spent_the_whole_budget_never_hold_a_write()
    {
        var clock = new ManualClock(autoAdvance: false);
        var budget = new ResourceUnitBudget(null, clock);
        Assert.Equal(TimeSpan.Zero, budget.TryTakeRead(2970));
        budget.ReadCharged(taken: 2970, reported: 10_000);

        // Writes have their own share of the quota: only a pause holds them (the clock would throw if anyone waited).
        await budget.WaitForWriteAsync(CancellationToken.None);

        Assert.True(budget.TryTakeRead(1) > TimeSpan.FromSeconds(20));
        Assert.Empty(clock.Delays);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public void A_quota_that_is_not_positive_is_refused(int quota)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Budget(s => s.ResourceUnitsPerWindow = quota));
    }
}
