using System.Net;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

/// <summary>--server-error-rate (500, 502, 503, 504 on calls and batch items) and --landed-429-rate (a user write applied, then answered 429).</summary>
public sealed class ServerErrorTests
{
    [Fact]
    public async Task ServerErrors_Are500_502_503_504_InTheSeededOrder_AndOnlyGatewayErrorsMayLandAWrite()
    {
        var first = await ServerErrorOutcomesAsync(seed: 8);
        var again = await ServerErrorOutcomesAsync(seed: 8);

        Assert.Equal(first.Outcomes, again.Outcomes);
        Assert.Equal(new[] { "500", "502", "503", "504" }, first.Outcomes.Select(o => o.Status).Distinct().OrderBy(s => s));
        Assert.Equal(first.Outcomes.Count, first.Faults);
        // Writes answered 500/503 never landed; of those answered 502/504 some did and some did not.
        Assert.All(first.Outcomes.Where(o => o.Status is "500" or "503"), o => Assert.False(o.Landed));
        var gateway = first.Outcomes.Where(o => o.Status is "502" or "504").ToList();
        Assert.Contains(gateway, o => o.Landed);
        Assert.Contains(gateway, o => !o.Landed);
    }

    [Fact]
    public async Task ServerErrors_HitBatchItemsOneByOne()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "30", "--server-error-rate", "0.5", "--seed", "4");
        var client = Client(simulator);
        var batch = new BatchRequestContentCollection(client);
        var ids = new List<string>();
        for (var n = 1; n <= 20; n++)
        {
            ids.Add(await batch.AddBatchRequestStepAsync(client.Users[Upn(n)].ToGetRequestInformation()));
        }

        var statuses = await (await client.Batch.PostAsync(batch)).GetResponsesStatusCodesAsync();

        Assert.Contains(statuses.Values, s => s == HttpStatusCode.OK);
        Assert.Contains(statuses.Values, s => (int)s >= 500);
        Assert.All(statuses.Values, s => Assert.Contains((int)s, new[] { 200, 500, 502, 503, 504 }));
    }

    [Fact]
    public async Task ALanded429_LeavesTheUserOnTheTarget_AndAResendMeetsNoCorrespondingLicense()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "5", "--landed-429-rate", "1");
        var client = Client(simulator);

        var throttled = await ErrorFrom(() => client.Users[Upn(1)].AssignLicense.PostAsync(Swap(O365E5, E4)));
        Assert.Equal(429, throttled.ResponseStatusCode);
        Assert.Equal("TooManyRequests", throttled.Error!.Code);
        Assert.NotNull(throttled.ResponseHeaders["Retry-After"]);
        Assert.Contains(O365E5, (await UserByUpn(client, Upn(1))).AssignedLicenses!.Select(l => l.SkuId!.Value));

        var resend = await ErrorFrom(() => client.Users[Upn(1)].AssignLicense.PostAsync(Swap(O365E5, E4)));
        Assert.Equal(400, resend.ResponseStatusCode);
        Assert.Equal("User does not have a corresponding license.", resend.Error!.Message);
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(1, stats.LicenseWrites); // the resend changed nothing
        Assert.Equal(1, stats.LandedThrottled);
        Assert.Equal(0, stats.UsersWithMultipleLicenseWrites);
    }

    [Fact]
    public async Task ALanded429_InsideBatch_IsA429ItemForAWriteThatHappened()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "5", "--landed-429-rate", "1");
        var client = Client(simulator);
        var batch = new BatchRequestContentCollection(client);
        var id = await batch.AddBatchRequestStepAsync(client.Users[Upn(2)].AssignLicense.ToPostRequestInformation(Swap(O365E5, E4)));

        var statuses = await (await client.Batch.PostAsync(batch)).GetResponsesStatusCodesAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[id]);
        Assert.Contains(O365E5, (await UserByUpn(client, Upn(2))).AssignedLicenses!.Select(l => l.SkuId!.Value));
        Assert.Equal(1, (await simulator.GetStatsAsync()).LandedThrottled);
    }

    [Fact]
    public async Task ALanded429_NeverHitsReads_OrAWriteGraphRefuses()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "5", "--landed-429-rate", "1");
        var client = Client(simulator);

        Assert.NotNull(await client.Users.GetAsync());
        var refused = await ErrorFrom(() => client.Users[Upn(3)].AssignLicense.PostAsync(Swap(O365E5, O365E3))); // holds no O365 E3
        Assert.Equal(400, refused.ResponseStatusCode);
        Assert.Equal(0, (await simulator.GetStatsAsync()).LandedThrottled);
    }

    /// <summary>40 writes at --server-error-rate 1: each write's status and whether it landed (read back from the tenant).</summary>
    private static async Task<(List<(string Status, bool Landed)> Outcomes, long Faults)> ServerErrorOutcomesAsync(int seed)
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "40", "--server-error-rate", "1", "--seed", seed.ToString());
        var client = Client(simulator);
        var outcomes = new List<(string, bool)>();
        for (var n = 1; n <= 40; n++)
        {
            if (n % 20 == 11)
            {
                continue; // holds E4 only through a group
            }

            var before = await simulator.GetLicenseWritesAsync(Upn(n));
            var error = await ErrorFrom(() => client.Users[Upn(n)].AssignLicense.PostAsync(Swap(O365E5, E4)));
            outcomes.Add((error.ResponseStatusCode.ToString(), await simulator.GetLicenseWritesAsync(Upn(n)) > before));
        }

        return (outcomes, (await simulator.GetStatsAsync()).Faults);
    }
}
