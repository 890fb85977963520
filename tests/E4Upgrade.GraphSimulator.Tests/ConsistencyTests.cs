using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Tenant;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;
using GroupAssign = Microsoft.Graph.Groups.Item.AssignLicense.AssignLicensePostRequestBody;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class ConsistencyTests
{
    private const int Reads = 40;

    [Fact]
    public async Task WithinTheLag_ReadsMayShowTheStateBeforeTheWrite_UserLicenseDetailsAndTheLicenseFilter()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "30", "--replication-lag-ms", "600000", "--seed", "7");
        var client = Client(simulator);
        var user = await UserByUpn(client, Upn(1));
        await client.Users[Upn(1)].AssignLicense.PostAsync(Swap(M365E5, E4));

        var seen = new List<Guid>();
        for (var i = 0; i < Reads; i++)
        {
            seen.Add(Assert.Single((await UserByUpn(client, Upn(1))).AssignedLicenses!).SkuId!.Value);
        }

        var details = new List<string?>();
        for (var i = 0; i < Reads; i++)
        {
            details.Add(Assert.Single((await client.Users[Upn(1)].LicenseDetails.GetAsync())!.Value!).SkuPartNumber);
        }

        var listedUnderE4 = 0;
        for (var i = 0; i < Reads; i++)
        {
            var page = (await client.Users.GetAsync(r => r.QueryParameters.Filter = $"assignedLicenses/any(x:x/skuId eq {E4})"))!.Value!;
            listedUnderE4 += page.Count(u => u.Id == user.Id);
        }

        Assert.Contains(E4, seen);
        Assert.Contains(M365E5, seen);
        Assert.Contains("ENTERPRISEWITHSCAL", details);
        Assert.Contains("SPE_E5", details);
        Assert.InRange(listedUnderE4, 1, Reads - 1);
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(seen.Count(s => s == E4) + details.Count(d => d == "ENTERPRISEWITHSCAL") + listedUnderE4, stats.ReadsStale);

        // The write side is always current: re-sending the swap finds E4 gone, whatever a read showed.
        var again = await ErrorFrom(() => client.Users[Upn(1)].AssignLicense.PostAsync(Swap(M365E5, E4)));
        Assert.Equal("User does not have a corresponding license.", again.Error!.Message);
    }

    [Fact]
    public async Task WithinTheLag_GroupReadsMayShowTheGroupBeforeItsLicenseChange()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "100", "--replication-lag-ms", "600000", "--group-start-delay-ms", "600000");
        var client = Client(simulator);
        var group = (await client.Groups.GetAsync())!.Value!.First();
        await client.Groups[group.Id].AssignLicense.PostAsync(new GroupAssign
        {
            AddLicenses = new List<AssignedLicense> { new() { SkuId = M365E5, DisabledPlans = new List<Guid?>() } },
            RemoveLicenses = new List<Guid?>(),
        });

        var states = new List<string?>();
        for (var i = 0; i < Reads; i++)
        {
            var read = await client.Groups[group.Id].GetAsync(r => r.QueryParameters.Select = new[] { "assignedLicenses", "licenseProcessingState" });
            Assert.Equal(read!.LicenseProcessingState!.State == "QueuedForProcessing" ? 2 : 1, read.AssignedLicenses!.Count);
            states.Add(read.LicenseProcessingState.State);
        }

        Assert.Contains("ProcessingComplete", states); // the state before the change
        Assert.Contains("QueuedForProcessing", states);
    }

    [Fact]
    public void AfterTheLag_ReadsAreNeverStale_AndWithoutALagThereIsNoHistory()
    {
        var counters = new ModelCounters();
        var replica = new ReplicaReads(TenantSettings.Ideal with { ReplicationLag = TimeSpan.FromSeconds(2) }, counters);
        var user = new UserState { Ordinal = 0, Id = Guid.NewGuid(), UserPrincipalName = "a@b.c", UsageLocation = "US" };
        var writtenAt = DateTimeOffset.UtcNow;
        replica.BeforeWrite(user, writtenAt);
        user.UsageLocation = "GB";

        var within = Enumerable.Range(0, 200).Select(_ => replica.Read(user, writtenAt.AddSeconds(1.999)).UsageLocation).ToList();
        Assert.Contains("US", within);
        Assert.Contains("GB", within);
        Assert.Equal(within.Count(l => l == "US"), counters.ReadsStale);
        Assert.All(Enumerable.Range(0, 200), _ => Assert.Equal("GB", replica.Read(user, writtenAt.AddSeconds(2)).UsageLocation));

        var off = new ReplicaReads(TenantSettings.Ideal, new ModelCounters());
        var other = new UserState { Ordinal = 1, Id = Guid.NewGuid(), UserPrincipalName = "d@b.c" };
        off.BeforeWrite(other, writtenAt);
        Assert.Null(other.Previous);
        Assert.Same(other, off.Read(other, writtenAt));
    }

    [Fact]
    public async Task PatchUsageLocation_AcceptsOnlyIso3166Alpha2Codes()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "10");
        var client = Client(simulator);
        foreach (var code in new[] { "ZZ", "UK", "EU", "U1", "USA" })
        {
            var error = await ErrorFrom(() => client.Users[Upn(1)].PatchAsync(new User { UsageLocation = code }));
            Assert.Equal((400, "Request_BadRequest", "Property usageLocation is invalid."), (error.ResponseStatusCode, error.Error!.Code, error.Error.Message));
        }

        await client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "GB" });
        await client.Users[Upn(2)].PatchAsync(new User { UsageLocation = "ax" });
        Assert.Equal("GB", (await UserByUpn(client, Upn(1))).UsageLocation);
        Assert.Equal("AX", (await UserByUpn(client, Upn(2))).UsageLocation);
    }
}
