using E4Upgrade.GraphSimulator.Tenant;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

/// <summary>
/// Staleness with a long tail (our choice: log-normal, median --replication-lag-ms, 99th percentile
/// --replication-lag-p99-ms, cut at 4 x that), consumedUnits lagging the writes, and the usage location a licensing
/// write meets right after a PATCH.
/// </summary>
public sealed class StalenessTests
{
    [Fact]
    public void Each_write_draws_its_lag_from_a_long_tailed_distribution_with_the_given_median_and_99th_percentile()
    {
        var settings = TenantSettings.Ideal with { ReplicationLag = TimeSpan.FromSeconds(1), ReplicationLagP99 = TimeSpan.FromSeconds(10) };
        var replica = new ReplicaReads(settings, new ModelCounters());
        var at = DateTimeOffset.UtcNow;
        var lags = Enumerable.Range(0, 20_000).Select(i =>
        {
            var user = new UserState { Ordinal = i, Id = Guid.NewGuid(), UserPrincipalName = $"u{i}@b.c" };
            replica.BeforeWrite(user, at);
            return (user.StaleUntil - at).TotalSeconds;
        }).Order().ToList();

        Assert.InRange(lags[lags.Count / 2], 0.9, 1.1);
        Assert.InRange(lags[(int)(lags.Count * 0.99)], 8.5, 11.5);
        Assert.True(lags.Count(l => l > 2) > lags.Count / 10, "no tail: more than a tenth of the lags should pass 2 s");
        Assert.Equal(40, lags[^1], 3); // the cut: 4 x the 99th percentile
        Assert.True(lags[0] > 0);
    }

    [Fact]
    public async Task ConsumedUnits_lags_the_writes_that_change_it_and_the_inspection_view_does_not()
    {
        // A fixed lag of a minute: every subscribedSkus read shows consumedUnits as it stood a minute ago.
        await using var simulator = await SimulatorHost.StartAsync("--users", "10", "--replication-lag-ms", "60000", "--consumed-units-lag", "on");
        var client = Client(simulator);

        await client.Users[Upn(1)].AssignLicense.PostAsync(Swap(O365E5, E4));

        var skus = (await client.SubscribedSkus.GetAsync())!.Value!;
        Assert.Equal(0, skus.Single(s => s.SkuId == O365E5).ConsumedUnits);
        Assert.Equal(10, skus.Single(s => s.SkuId == E4).ConsumedUnits);
        var one = await client.SubscribedSkus[skus.Single(s => s.SkuId == O365E5).Id].GetAsync();
        Assert.Equal(0, one!.ConsumedUnits);
        using var tenant = await simulator.GetTenantAsync();
        var current = tenant.RootElement.GetProperty("subscribedSkus").EnumerateArray().Single(s => s.GetProperty("skuId").GetGuid() == O365E5);
        Assert.Equal(1, current.GetProperty("consumedUnits").GetInt32());
        Assert.True((await simulator.GetStatsAsync()).ReadsStale >= 2);
    }

    [Fact]
    public async Task Without_the_setting_consumedUnits_is_current_even_with_a_lag()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "10", "--replication-lag-ms", "60000");
        var client = Client(simulator);

        await client.Users[Upn(1)].AssignLicense.PostAsync(Swap(O365E5, E4));

        Assert.Equal(1, (await client.SubscribedSkus.GetAsync())!.Value!.Single(s => s.SkuId == O365E5).ConsumedUnits);
    }

    [Fact]
    public async Task A_license_right_after_the_PATCH_that_set_the_usage_location_meets_the_old_one_half_of_the_time()
    {
        // User 7 has no usage location. Within the PATCH's lag each licensing write tosses the replica coin; with seed 4
        // the first toss is stale and the second is not.
        await using var simulator = await SimulatorHost.StartAsync("--users", "10", "--seed", "4", "--replication-lag-ms", "60000", "--stale-usage-location", "on");
        var client = Client(simulator);
        await client.Users[Upn(7)].PatchAsync(new User { UsageLocation = "US" });

        var refused = 0;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                await client.Users[Upn(7)].AssignLicense.PostAsync(Swap(O365E5, E4));
                break;
            }
            catch (Microsoft.Graph.Models.ODataErrors.ODataError error)
            {
                Assert.Equal(400, error.ResponseStatusCode);
                Assert.Equal("License assignment cannot be done for user with invalid usage location.", error.Error!.Message);
                refused++;
            }
        }

        Assert.Equal(1, refused);
        Assert.Contains((await UserByUpn(client, Upn(7))).AssignedLicenses!, l => l.SkuId == O365E5);
        Assert.Equal(0, (await simulator.GetStatsAsync()).InjectedFaults); // a profile behaviour, not an injection
    }

    [Fact]
    public async Task Without_the_setting_the_license_after_the_PATCH_is_not_refused()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "10", "--replication-lag-ms", "60000");
        var client = Client(simulator);
        await client.Users[Upn(7)].PatchAsync(new User { UsageLocation = "US" });

        Assert.NotNull(await client.Users[Upn(7)].AssignLicense.PostAsync(Swap(O365E5, E4)));
    }
}
