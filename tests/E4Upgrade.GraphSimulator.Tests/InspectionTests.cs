using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class InspectionTests
{
    [Fact]
    public async Task Reset_RestoresTheStartingTenant_AndZeroesTheCounters()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20");
        var client = Client(simulator);
        await client.Users[Upn(1)].AssignLicense.PostAsync(Swap(O365E5, E4));
        await client.Users[Upn(7)].PatchAsync(new User { UsageLocation = "US" });
        Assert.Equal(1, (await simulator.GetStatsAsync()).LicenseWrites);

        await simulator.ResetAsync();

        var stats = await simulator.GetStatsAsync();
        Assert.Equal(0, stats.Requests);
        Assert.Equal(0, stats.Writes);
        Assert.Equal(0, stats.LicenseWrites);
        Assert.Equal(E4, Assert.Single((await UserByUpn(client, Upn(1))).AssignedLicenses!).SkuId);
        Assert.Null((await UserByUpn(client, Upn(7))).UsageLocation);
    }

    [Fact]
    public async Task PostTenant_StartsWithThatTenant_AsAResetWould_AndRefusesAnInvalidOneKeepingTheCurrent()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20");
        var client = Client(simulator);
        await client.Users[Upn(1)].AssignLicense.PostAsync(Swap(O365E5, E4));
        using var http = new HttpClient(simulator.CreateHttpHandler()) { BaseAddress = simulator.RootUrl };
        var tenant = new JsonObject
        {
            ["subscribedSkus"] = new JsonArray(new JsonObject { ["skuPartNumber"] = "ENTERPRISEWITHSCAL", ["seats"] = 5 }),
            ["users"] = new JsonArray(new JsonObject { ["id"] = "00000000-0000-4000-8000-000000000001", ["userPrincipalName"] = "only@contoso.onmicrosoft.com", ["usageLocation"] = "NL", ["assignedLicenses"] = new JsonArray() }),
            ["groups"] = new JsonArray(),
        };

        var loaded = await http.PostAsync("_simulator/tenant", JsonContent.Create(tenant));
        Assert.True(loaded.IsSuccessStatusCode, await loaded.Content.ReadAsStringAsync());
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(0, stats.Requests);
        Assert.Equal(0, stats.LicenseWrites);
        var only = Assert.Single((await client.Users.GetAsync())!.Value!);
        Assert.Equal("only@contoso.onmicrosoft.com", only.UserPrincipalName);

        // A reset goes back to this tenant, not to the generated one.
        await client.Users["only@contoso.onmicrosoft.com"].PatchAsync(new User { UsageLocation = "US" });
        await simulator.ResetAsync();
        Assert.Equal("NL", (await UserByUpn(client, "only@contoso.onmicrosoft.com")).UsageLocation);

        // A group naming a member who is not a user is refused, and the tenant stays as it was.
        tenant["groups"] = new JsonArray(new JsonObject
        {
            ["id"] = "00000000-0000-4000-9000-000000000001", ["displayName"] = "g", ["assignedLicenses"] = new JsonArray(),
            ["members"] = new JsonArray("nobody@contoso.onmicrosoft.com"),
        });
        var refused = await http.PostAsync("_simulator/tenant", JsonContent.Create(tenant));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("only@contoso.onmicrosoft.com", Assert.Single((await client.Users.GetAsync())!.Value!).UserPrincipalName);
    }

    [Fact]
    public async Task Stats_ShowARequestInFlight_UntilItEnds_ThenIdleTime()
    {
        // A write waits 10-30 s of latency: long enough to be seen in flight on any machine; the client gives up on it.
        await using var simulator = await SimulatorHost.StartAsync("--users", "5", "--latency-ms", "20000");
        using var http = new HttpClient(simulator.CreateHttpHandler()) { BaseAddress = simulator.RootUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", simulator.Token);
        using var giveUp = new CancellationTokenSource();
        var write = http.PatchAsync($"v1.0/users/{Upn(1)}", JsonContent.Create(new { displayName = "x" }), giveUp.Token);

        var during = await StatsWhenAsync(simulator, s => s.RequestsInFlight > 0);
        Assert.Equal(1, during.RequestsInFlight);
        Assert.Equal(0, during.IdleMilliseconds);

        var sinceCancel = Stopwatch.StartNew();
        giveUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        var after = await StatsWhenAsync(simulator, s => s.RequestsInFlight == 0);
        var elapsedSinceCancel = sinceCancel.ElapsedMilliseconds;
        Assert.Equal(1, after.Requests);

        // Idle time counts from the end of the cancelled write (not from the simulator's start or the write's), and grows.
        Assert.InRange(after.IdleMilliseconds, 0, elapsedSinceCancel);
        var later = await StatsWhenAsync(simulator, s => s.IdleMilliseconds > after.IdleMilliseconds);
        Assert.True(later.IdleMilliseconds > after.IdleMilliseconds, $"idle stayed at {later.IdleMilliseconds} ms");
    }

    /// <summary>Polls the stats until the condition holds (at most 60 s).</summary>
    private static async Task<SimulatorStats> StatsWhenAsync(RunningSimulator simulator, Func<SimulatorStats, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var stats = await simulator.GetStatsAsync();
            if (condition(stats) || DateTime.UtcNow > deadline)
            {
                return stats;
            }

            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task TenantDump_RoundTripsThroughTenantFile()
    {
        await using var generated = await SimulatorHost.StartAsync("--users", "60", "--seed", "11");
        await Client(generated).Users[Upn(1)].AssignLicense.PostAsync(Swap(M365E5, E4, Guid.Parse("8a256a2b-b617-496d-b51b-e76466e88db0")));
        using var dump = await generated.GetTenantAsync();
        var file = Path.Combine(Path.GetTempPath(), $"tenant-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, dump.RootElement.GetRawText());
        try
        {
            await using var loaded = await SimulatorHost.StartAsync("--tenant", file);
            using var again = await loaded.GetTenantAsync();
            Assert.Equal(Canonical(dump), Canonical(again));
            var user = await UserByUpn(Client(loaded), Upn(1));
            Assert.Equal(M365E5, Assert.Single(user.AssignedLicenses!).SkuId);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TenantFile_SuspendedAndCompanySkus_CannotBeAssigned()
    {
        var tenant = new JsonObject
        {
            ["subscribedSkus"] = new JsonArray(
                Sku(O365E5, "ENTERPRISEPREMIUM", "Suspended", "User", enabled: 0, suspended: 10),
                Sku(M365E5, "SPE_E5", "Enabled", "Company", enabled: 10, suspended: 0),
                Sku(E4, "ENTERPRISEWITHSCAL", "Enabled", "User", enabled: 1, suspended: 0)),
            ["subscriptions"] = new JsonArray(),
            ["users"] = new JsonArray(new JsonObject
            {
                ["id"] = "6e7b768e-07e2-4810-8459-485f84f8f204",
                ["userPrincipalName"] = "adele@contoso.onmicrosoft.com",
                ["usageLocation"] = "US",
                ["department"] = "Sales",
                ["assignedLicenses"] = new JsonArray(new JsonObject { ["skuId"] = E4.ToString(), ["disabledPlans"] = new JsonArray() }),
            }),
            ["groups"] = new JsonArray(),
        };
        var file = Path.Combine(Path.GetTempPath(), $"tenant-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, tenant.ToJsonString());
        try
        {
            await using var simulator = await SimulatorHost.StartAsync("--tenant", file);
            var client = Client(simulator);

            var suspended = await ErrorFrom(() => client.Users["adele@contoso.onmicrosoft.com"].AssignLicense.PostAsync(Swap(O365E5, E4)));
            Assert.Equal($"Subscription with SKU {O365E5} does not have any available licenses.", suspended.Error!.Message);
            var company = await ErrorFrom(() => client.Users["adele@contoso.onmicrosoft.com"].AssignLicense.PostAsync(Swap(M365E5, E4)));
            Assert.Equal($"License {M365E5} cannot be assigned to a user.", company.Error!.Message);

            var user = await client.Users["adele@contoso.onmicrosoft.com"].GetAsync(r => r.QueryParameters.Select = new[] { "department" });
            Assert.Equal("Sales", user!.Department);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task GeneratedTenant_HasTheDocumentedShape_AndDependsOnlyOnTheSeed()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "1000", "--seed", "4");
        await using var same = await SimulatorHost.StartAsync("--users", "1000", "--seed", "4");
        await using var other = await SimulatorHost.StartAsync("--users", "1000", "--seed", "5");
        using var dump = await simulator.GetTenantAsync();
        var users = dump.RootElement.GetProperty("users").EnumerateArray().ToList();

        Assert.Equal(10, users.Count(u => u.GetProperty("usageLocation").ValueKind == JsonValueKind.Null));
        Assert.Equal(50, users.Count(u => u.GetProperty("assignedLicenses").GetArrayLength() == 0)); // licensed through groups
        Assert.Equal(50, users.Count(u => u.GetProperty("assignedLicenses").EnumerateArray().Any(l => l.GetProperty("disabledPlans").GetArrayLength() > 0)));
        Assert.Contains(users, u => u.GetProperty("userPrincipalName").GetString()!.Contains('\''));
        Assert.Contains(users, u => u.GetProperty("userPrincipalName").GetString()!.Any(c => c > 127));
        var groups = dump.RootElement.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(3, groups.Count);
        Assert.True(groups.Sum(g => g.GetProperty("members").GetArrayLength()) > 50); // some users are in two groups
        Assert.Equal(5, dump.RootElement.GetProperty("subscriptions").GetArrayLength());

        using var sameDump = await same.GetTenantAsync();
        using var otherDump = await other.GetTenantAsync();
        Assert.Equal(Ids(dump), Ids(sameDump));
        Assert.NotEqual(Ids(dump), Ids(otherDump));
    }

    private static List<string> Ids(JsonDocument dump) =>
        dump.RootElement.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("id").GetString()!).ToList();

    /// <summary>The input-shaped part of a dump: computed timestamps and states left out.</summary>
    private static string Canonical(JsonDocument dump)
    {
        var node = JsonNode.Parse(dump.RootElement.GetRawText())!.AsObject();
        foreach (var user in node["users"]!.AsArray())
        {
            user!.AsObject().Remove("licenseAssignmentStates");
        }

        return node.ToJsonString();
    }

    private static JsonObject Sku(Guid skuId, string partNumber, string status, string appliesTo, int enabled, int suspended) => new()
    {
        ["skuId"] = skuId.ToString(),
        ["skuPartNumber"] = partNumber,
        ["capabilityStatus"] = status,
        ["appliesTo"] = appliesTo,
        ["prepaidUnits"] = new JsonObject { ["enabled"] = enabled, ["suspended"] = suspended, ["warning"] = 0, ["lockedOut"] = 0 },
        ["servicePlans"] = new JsonArray(),
    };
}
