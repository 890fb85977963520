using System.Globalization;
using System.Net;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

/// <summary>Other apps' writes, 429s under every limit, and how the simulator counts retries sent too early.</summary>
public sealed class QuotaRealismTests
{
    [Theory]
    [InlineData("0", "500")]
    [InlineData("0.15", "2000")]
    public async Task BackgroundWrites_ShareTheTenantBucket_SoItRefillsSlowerForUs(string backgroundWrites, string retryAfter)
    {
        // Tenant bucket: 20 writes per 100 s (0.2 per s). Other apps take 0.15 per s, leaving us 0.05 per s: the next
        // write is 20 s away instead of 5. Time runs 100 times slower, so nothing refills while the test runs.
        await using var simulator = await SimulatorHost.StartAsync(
            "--users", "20", "--tenant-write-limit", "20/100", "--background-writes", backgroundWrites, "--time-scale", "0.01");
        var client = Client(simulator);
        for (var i = 0; i < 20; i++)
        {
            await client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" });
        }

        var error = await ErrorFrom(() => client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" }));

        Assert.Equal(retryAfter, error.ResponseHeaders["Retry-After"].Single());
        Assert.StartsWith("Tenant/Write/", error.ResponseHeaders["x-ms-throttle-scope"].Single());
    }

    [Fact]
    public async Task BackgroundWrites_AtOrAboveTheTenantRate_AreRefusedAtStart()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SimulatorHost.StartAsync("--users", "20", "--background-writes", "60"));
        Assert.Contains("--background-writes", error.Message);
    }

    [Fact]
    public async Task Spurious429s_ComeUnderEveryLimit_WithRetryAfter_AndChangeNothing()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--spurious-429-rate", "1");
        var client = Client(simulator);

        var read = await ErrorFrom(() => client.SubscribedSkus.GetAsync());
        var write = await ErrorFrom(() => client.Users[Upn(1)].AssignLicense.PostAsync(Swap(O365E3, E4)));

        foreach (var error in new[] { read, write })
        {
            Assert.Equal(429, error.ResponseStatusCode);
            Assert.Equal("TooManyRequests", error.Error!.Code);
            Assert.Equal("1", error.ResponseHeaders["Retry-After"].Single());
            Assert.False(error.ResponseHeaders.ContainsKey("x-ms-throttle-information"));
        }

        var stats = await simulator.GetStatsAsync();
        Assert.Equal(2, stats.SpuriousThrottled);
        Assert.Equal(2, stats.Throttled);
        Assert.Equal(1, stats.WritesThrottled); // the assignLicense, not the subscribedSkus read
        Assert.Equal(0, stats.Writes);
        Assert.Equal(0, stats.LicenseWrites);
    }

    [Fact]
    public async Task Spurious429s_AreSeeded_AndHitBatchItemsOneByOne()
    {
        async Task<HttpStatusCode[]> RunAsync()
        {
            await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--spurious-429-rate", "0.3", "--seed", "7");
            var client = Client(simulator);
            var batch = new BatchRequestContentCollection(client);
            for (var i = 0; i < 20; i++)
            {
                await batch.AddBatchRequestStepAsync(client.SubscribedSkus.ToGetRequestInformation(), $"r{i}");
            }

            var codes = await (await client.Batch.PostAsync(batch)).GetResponsesStatusCodesAsync();
            Assert.Equal(codes.Values.Count(c => c == HttpStatusCode.TooManyRequests), (await simulator.GetStatsAsync()).SpuriousThrottled);
            return codes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value).ToArray();
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Contains(HttpStatusCode.TooManyRequests, first);
        Assert.Contains(HttpStatusCode.OK, first);
        Assert.Equal(first.Count(c => c == HttpStatusCode.TooManyRequests), second.Count(c => c == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task EarlyRetries_CountTheSameCallFromTheSameTokenBeforeItsRetryAfter_Only()
    {
        // One write per 1,000 s: after the first, every write is refused for longer than any test run, so each call
        // below comes early whatever the machine's load.
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--write-limit", "1/1000", "--token", "a", "--token", "b");
        var alice = Client(simulator, "a");
        var bob = Client(simulator, "b");
        await alice.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" });

        await ErrorFrom(() => alice.Users[Upn(3)].PatchAsync(new User { UsageLocation = "US" }));
        await ErrorFrom(() => bob.Users[Upn(3)].PatchAsync(new User { UsageLocation = "US" }));   // another token: not a retry of alice's call
        await ErrorFrom(() => alice.Users[Upn(4)].PatchAsync(new User { UsageLocation = "US" })); // another call: not a retry
        Assert.Equal(0, (await simulator.GetStatsAsync()).EarlyRetries);

        await ErrorFrom(() => alice.Users[Upn(3)].PatchAsync(new User { UsageLocation = "US" }));  // the same call, early
        Assert.Equal(1, (await simulator.GetStatsAsync()).EarlyRetries);

        await ErrorFrom(() => alice.Users[Upn(4)].PatchAsync(new User { UsageLocation = "US" }));  // early too
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(2, stats.EarlyRetries);
        Assert.Equal(1, stats.Writes);
    }

    [Fact]
    public async Task EarlyRetries_LeaveOutACallSentAgainOnceItsRetryAfterHasPassed()
    {
        // Every call is answered 429 with Retry-After 1 s, whatever the quotas: the retry's timing alone decides.
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--spurious-429-rate", "1");
        var client = Client(simulator);

        var refused = await ErrorFrom(() => client.Users[Upn(3)].PatchAsync(new User { UsageLocation = "US" }));
        await Task.Delay(TimeSpan.FromSeconds(double.Parse(refused.ResponseHeaders["Retry-After"].Single(), CultureInfo.InvariantCulture)));
        await ErrorFrom(() => client.Users[Upn(3)].PatchAsync(new User { UsageLocation = "US" })); // waited as asked: on time

        var stats = await simulator.GetStatsAsync();
        Assert.Equal((0L, 2L), (stats.EarlyRetries, stats.SpuriousThrottled));
    }

    [Fact]
    public async Task EarlyRetries_FollowABatchItemResentAlone()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--write-limit", "1/150");
        var client = Client(simulator);
        var batch = new BatchRequestContentCollection(client);
        await batch.AddBatchRequestStepAsync(client.Users[Upn(1)].AssignLicense.ToPostRequestInformation(Swap(O365E3, E4)), "one");
        await batch.AddBatchRequestStepAsync(client.Users[Upn(3)].ToPatchRequestInformation(new User { UsageLocation = "US" }), "two");
        var codes = await (await client.Batch.PostAsync(batch)).GetResponsesStatusCodesAsync();
        var refused = codes.Single(c => c.Value == HttpStatusCode.TooManyRequests).Key;

        if (refused == "one")
        {
            await ErrorFrom(() => client.Users[Upn(1)].AssignLicense.PostAsync(Swap(O365E3, E4)));
        }
        else
        {
            await ErrorFrom(() => client.Users[Upn(3)].PatchAsync(new User { UsageLocation = "US" }));
        }

        Assert.Equal(1, (await simulator.GetStatsAsync()).EarlyRetries);
    }

    [Fact]
    public async Task Reset_ZeroesTheNewCounters_AndForgetsPendingRetryAfters()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--write-limit", "1/1000", "--refused-write-cost", "1", "--resource-unit-limit", "1000/1000");
        var client = Client(simulator);
        await client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" });
        await ErrorFrom(() => client.Users[Upn(3)].PatchAsync(new User { UsageLocation = "US" }));
        await ErrorFrom(() => client.Users[Upn(3)].PatchAsync(new User { UsageLocation = "US" }));
        var before = await simulator.GetStatsAsync();
        Assert.Equal((1, 2), (before.EarlyRetries, before.RefusedWritesCharged));

        await simulator.ResetAsync();
        await client.Users[Upn(3)].PatchAsync(new User { UsageLocation = "US" }); // full buckets, and no Retry-After pending

        var after = await simulator.GetStatsAsync();
        Assert.Equal((0L, 0L, 0L, 1L), (after.EarlyRetries, after.RefusedWritesCharged, after.Throttled, after.Writes));
    }

    [Fact]
    public async Task RealisticProfile_ChargesRefusedWrites_AndMetersReads()
    {
        // 20 users under realistic: 3,500 RU per 10 s, 10,000 times slower so nothing refills during the test.
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--profile", "realistic", "--write-limit", "1/1000", "--time-scale", "0.0001");
        var client = Client(simulator);
        await client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" });
        await ErrorFrom(() => client.Users[Upn(3)].PatchAsync(new User { UsageLocation = "US" }));

        var batch = new BatchRequestContentCollection(client);
        for (var i = 0; i < 1200; i++)
        {
            await batch.AddBatchRequestStepAsync(client.SubscribedSkus.ToGetRequestInformation());
        }

        var codes = await (await client.Batch.PostAsync(batch)).GetResponsesStatusCodesAsync();

        var stats = await simulator.GetStatsAsync();
        Assert.Equal(1, stats.RefusedWritesCharged);
        Assert.InRange(stats.ResourceUnitThrottled, 30, 40); // 3,500 RU - 2 writes = 3,498 = 1,166 reads of 3 RU; the rest refused
        Assert.Equal(stats.ResourceUnitThrottled + stats.SpuriousThrottled, codes.Values.Count(c => c == HttpStatusCode.TooManyRequests));
    }
}
