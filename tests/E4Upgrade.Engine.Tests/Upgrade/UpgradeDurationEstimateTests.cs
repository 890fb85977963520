using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

public class UpgradeDurationEstimateTests
{
    [Fact]
    public void The_first_window_goes_at_the_starting_rate_the_rest_at_20_writes_per_second()
    {
        // 3,000 writes at the pacer's 50/s start, then 97,000 at 3,000 per 150 s.
        var estimate = UpgradeDurationEstimate.For(100_000, 0, 0);

        Assert.Equal(TimeSpan.FromSeconds(60 + 4850), estimate.DirectUsers);
        Assert.Equal(TimeSpan.Zero, estimate.GroupProcessingUpTo);
        Assert.DoesNotContain("group", estimate.ToString());
    }

    [Fact]
    public void Users_without_usage_location_cost_a_write_more_and_group_members_scale_the_24_hour_bound()
    {
        var estimate = UpgradeDurationEstimate.For(100, 50, 30_000);

        Assert.Equal(150, estimate.Writes);
        Assert.Equal(TimeSpan.FromSeconds(3), estimate.DirectUsers);
        Assert.Equal(TimeSpan.FromHours(12), estimate.GroupProcessingUpTo);
        Assert.Contains("estimate up to 12 h for 30,000 members", estimate.ToString());
    }
}
