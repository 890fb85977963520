using E4Upgrade.GraphSimulator.Options;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

/// <summary>--inject KIND=N: counted fault injections.</summary>
public sealed class InjectedFaultTests
{
    [Fact]
    public async Task LostAnswer_AppliesTheWriteThenAnswers504_OnlyForTheFirstN_AndAResentSwapFindsE4Gone()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "10", "--inject", "lost-answer=1");
        var client = Client(simulator);

        var lost = await Assert.ThrowsAnyAsync<ApiException>(() => client.Users[Upn(1)].AssignLicense.PostAsync(Swap(M365E5, E4)));
        Assert.Equal(504, lost.ResponseStatusCode);
        Assert.Equal(M365E5, Assert.Single((await UserByUpn(client, Upn(1))).AssignedLicenses!).SkuId);
        var resent = await ErrorFrom(() => client.Users[Upn(1)].AssignLicense.PostAsync(Swap(M365E5, E4)));
        Assert.Equal("User does not have a corresponding license.", resent.Error!.Message);
        Assert.NotNull(await client.Users[Upn(3)].AssignLicense.PostAsync(Swap(M365E5, E4))); // only the first write lost its answer

        var stats = await simulator.GetStatsAsync();
        Assert.Equal(1, stats.InjectedFaults);
        Assert.Equal(2, stats.LicenseWrites);
        Assert.Equal(0, stats.UsersWithMultipleLicenseWrites);

        await simulator.ResetAsync();
        Assert.Equal(504, (await Assert.ThrowsAnyAsync<ApiException>(() => client.Users[Upn(1)].AssignLicense.PostAsync(Swap(M365E5, E4)))).ResponseStatusCode);
    }

    [Fact]
    public async Task ErrorState_Answers200_ButTheAddedSkuIsInStateErrorAndMissingFromTheAnswer_AndTakesNoSeat()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "10", "--inject", "error-state=1");
        var client = Client(simulator);

        var answer = await client.Users[Upn(1)].AssignLicense.PostAsync(Swap(M365E5, E4));

        Assert.Empty(answer!.AssignedLicenses!);
        var state = Assert.Single((await UserByUpn(client, Upn(1))).LicenseAssignmentStates!);
        Assert.Equal((M365E5, "Error", "Other"), (state.SkuId!.Value, state.State, state.Error));
        var sku = (await client.SubscribedSkus.GetAsync())!.Value!.Single(s => s.SkuId == M365E5);
        Assert.Equal(0, sku.ConsumedUnits);
        var next = await client.Users[Upn(3)].AssignLicense.PostAsync(Swap(M365E5, E4));
        Assert.Equal(M365E5, Assert.Single(next!.AssignedLicenses!).SkuId);
        Assert.Equal(1, (await simulator.GetStatsAsync()).InjectedFaults);
    }

    [Fact]
    public async Task StaleUsageLocation_RefusesTheFirstAssignWithinTheLagAfterThePatch_ThenAcceptsIt()
    {
        // User 7 of a generated tenant has no usage location.
        await using var simulator = await SimulatorHost.StartAsync("--users", "10", "--replication-lag-ms", "600000", "--inject", "stale-usage-location=1");
        var client = Client(simulator);
        await client.Users[Upn(7)].PatchAsync(new User { UsageLocation = "US" });

        var refused = await ErrorFrom(() => client.Users[Upn(7)].AssignLicense.PostAsync(Swap(M365E5, E4)));
        Assert.Equal("License assignment cannot be done for user with invalid usage location.", refused.Error!.Message);
        Assert.NotNull(await client.Users[Upn(7)].AssignLicense.PostAsync(Swap(M365E5, E4)));
        Assert.Equal(1, (await simulator.GetStatsAsync()).InjectedFaults);
    }

    [Fact]
    public async Task StaleUsageLocation_NeedsAReplicationLag_AndAPatchThatSetTheLocation()
    {
        await using var noLag = await SimulatorHost.StartAsync("--users", "10", "--inject", "stale-usage-location=1");
        await Client(noLag).Users[Upn(7)].PatchAsync(new User { UsageLocation = "US" });
        Assert.NotNull(await Client(noLag).Users[Upn(7)].AssignLicense.PostAsync(Swap(M365E5, E4)));

        await using var lagging = await SimulatorHost.StartAsync("--users", "10", "--replication-lag-ms", "600000", "--inject", "stale-usage-location=1");
        Assert.NotNull(await Client(lagging).Users[Upn(1)].AssignLicense.PostAsync(Swap(M365E5, E4))); // a user who always had one
        Assert.Equal(0, (await noLag.GetStatsAsync()).InjectedFaults + (await lagging.GetStatsAsync()).InjectedFaults);
    }

    [Theory]
    [InlineData("--inject", "lost-answers=1")]
    [InlineData("--inject", "lost-answer=-1")]
    [InlineData("--inject", "lost-answer=x")]
    public void BadInjections_AreRefused(string option, string value)
    {
        Assert.Throws<ArgumentException>(() => CommandLineParser.Parse(new[] { option, value }));
    }
}
