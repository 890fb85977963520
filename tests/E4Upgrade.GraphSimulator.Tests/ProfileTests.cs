using E4Upgrade.GraphSimulator.Options;
using Xunit;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class ProfileTests
{
    [Fact]
    public void Ideal_IsTheDefault_AndChangesNothing()
    {
        var options = CommandLineParser.Parse(Array.Empty<string>());
        Assert.Equal("ideal", options.Profile);
        Assert.Equal((2000d, 0d, 0d, false), (options.GroupStartDelayMs, options.GroupMembersPerSecond, options.ReplicationLagMs, options.LicensingRules));
        Assert.Empty(options.PlanStatuses);
        Assert.Equal((0d, false, 0d, 0d, false), (options.RefusedWriteCost, options.ResourceUnitLimit.Enabled, options.BackgroundWritesPerSecond, options.Spurious429Rate, options.Https));
    }

    [Fact]
    public void Realistic_SetsEveryProfileSetting_AndExplicitOptionsWinWherever_TheyStand()
    {
        var realistic = CommandLineParser.Parse(new[] { "--profile", "realistic" });
        Assert.Equal("realistic", realistic.Profile);
        Assert.Equal("PendingActivation", realistic.PlanStatuses["INTUNE_O365"]);
        Assert.True(realistic.LicensingRules);
        Assert.Equal((1000d, 10000d, 10000d, 20d), (realistic.ReplicationLagMs, realistic.ReplicationLagP99Ms, realistic.GroupStartDelayMs, realistic.GroupMembersPerSecond));
        Assert.Equal((true, true, 30000d), (realistic.ConsumedUnitsLag, realistic.StaleUsageLocation, realistic.GroupConcurrencyRetryMs));
        Assert.Equal((1d, ResourceUnitLimit.Auto, 2d, 0.001), (realistic.RefusedWriteCost, realistic.ResourceUnitLimit, realistic.BackgroundWritesPerSecond, realistic.Spurious429Rate));
        Assert.Equal((0.002, 0.001), (realistic.ServerErrorRate, realistic.Landed429Rate));
        Assert.False(realistic.Https); // a transport choice, not a profile setting: the client must be told to trust the certificate
        Assert.All(RealisticProfile.Settings, s => Assert.False(string.IsNullOrWhiteSpace(s.Source)));

        var tuned = CommandLineParser.Parse(new[] { "--replication-lag-ms", "0", "--profile", "realistic", "--group-delay-ms", "5", "--licensing-rules", "off", "--spurious-429-rate", "0", "--resource-unit-limit", "off" });
        Assert.Equal((0d, 5d, false), (tuned.ReplicationLagMs, tuned.GroupStartDelayMs, tuned.LicensingRules));
        Assert.Equal((0d, ResourceUnitLimit.Off, 1d), (tuned.Spurious429Rate, tuned.ResourceUnitLimit, tuned.RefusedWriteCost));
        Assert.Equal(20d, tuned.GroupMembersPerSecond);
    }

    [Fact]
    public void GroupPace_WorstCase_IsEntrasTicketBound_60000MembersIn24Hours()
    {
        var options = CommandLineParser.Parse(new[] { "--profile", "realistic", "--group-members-per-second", "worst-case" });

        Assert.Equal(60000d / 86400d, options.GroupMembersPerSecond, 9);
        Assert.Equal(86400d, 60000 / options.GroupMembersPerSecond, 6); // 24 h for 60,000 members
    }

    [Theory]
    [InlineData("--profile", "harsh")]
    [InlineData("--plan-status", "INTUNE_O365")]
    [InlineData("--plan-status", "INTUNE_O365=Pending")]
    [InlineData("--licensing-rules", "maybe")]
    [InlineData("--group-members-per-second", "-1")]
    [InlineData("--resource-unit-limit", "some")]
    [InlineData("--background-writes", "-1")]
    [InlineData("--spurious-429-rate", "2")]
    public void BadValues_AreRefusedWithAReason(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => CommandLineParser.Parse(new[] { option, value }));
        Assert.Contains(option, error.Message);
    }
}
