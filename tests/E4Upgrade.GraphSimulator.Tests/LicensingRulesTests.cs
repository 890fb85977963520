using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Licensing;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;
using static E4Upgrade.GraphSimulator.Tests.Support.TenantFiles;
using GroupAssign = Microsoft.Graph.Groups.Item.AssignLicense.AssignLicensePostRequestBody;
using UserAssign = Microsoft.Graph.Users.Item.AssignLicense.AssignLicensePostRequestBody;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class LicensingRulesTests
{
    private static readonly Guid O365E3Id = SkuId("ENTERPRISEPACK");
    private static readonly Guid AtpId = SkuId("ATP_ENTERPRISE");
    private static readonly string[] StateSelect = { "id", "assignedLicenses", "licenseAssignmentStates" };

    [Fact]
    public void ExtraRules_AreEnforcedBesideTheSourcedOnes_AndTurnTheRulesOn()
    {
        var options = E4Upgrade.GraphSimulator.Options.CommandLineParser.Parse(new[] { "--extra-licensing-rules", "extra.json" });
        var rules = LicensingRules.Shared.WithDependenciesFrom(JsonNode.Parse("""
            { "dependencies": [ { "plan": "WHITEBOARD_PLAN3", "requiresAnyOf": [ "SWAY" ], "source": "None: made up for a test." } ] }
            """)!.AsObject());
        var e5 = Assert.Single(SkuCatalog.Shared.FindByPartNumber("SPE_E5")).Plans.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First().Id);
        e5.Remove("SWAY");

        Assert.True(options.LicensingRules);
        Assert.Equal("extra.json", options.ExtraLicensingRulesFile);
        Assert.Equal(LicensingRules.Shared.Dependencies.Count + 1, rules.Dependencies.Count);
        Assert.Equal("WHITEBOARD_PLAN3", Assert.Single(rules.Check(e5)).Plans.Single());
        Assert.Empty(LicensingRules.Shared.Check(e5));
    }

    [Fact]
    public async Task DirectAssignment_BreakingARule_Is400WithGraphsMessage_AndChangesNothing()
    {
        await using var simulator = await StartAsync(DirectTenant(), "--licensing-rules", "on");
        var client = Client(simulator);

        var exclusive = await ErrorFrom(() => client.Users[UserKey(1)].AssignLicense.PostAsync(Add(O365E1)));
        Assert.Equal((400, "Request_BadRequest"), (exclusive.ResponseStatusCode, exclusive.Error!.Code));
        Assert.Equal($"License assignment failed because service plans {Plan("EXCHANGE_S_STANDARD")}, {Plan("EXCHANGE_S_ENTERPRISE")} are mutually exclusive", exclusive.Error.Message);

        var teamsPhone = await ErrorFrom(() => client.Users[UserKey(2)].AssignLicense.PostAsync(Add(M365E5, "TEAMS1", "MCOSTANDARD")));
        Assert.Equal($"License assignment failed because service plan {Plan("MCOMEETADV")} depends on the service plan(s) {Plan("TEAMS1")},{Plan("MCOSTANDARD")}", teamsPhone.Error!.Message);

        var officeWeb = await ErrorFrom(() => client.Users[UserKey(2)].AssignLicense.PostAsync(Add(O365E3Id, "SHAREPOINTENTERPRISE")));
        Assert.StartsWith($"License assignment failed because service plan {Plan("SHAREPOINTWAC")} depends on the service plan(s) {Plan("SHAREPOINTSTANDARD")},{Plan("SHAREPOINTENTERPRISE")},", officeWeb.Error!.Message);

        var defender = await ErrorFrom(() => client.Users[UserKey(3)].AssignLicense.PostAsync(Add(AtpId)));
        Assert.StartsWith($"License assignment failed because service plan {Plan("ATP_ENTERPRISE")} depends on the service plan(s) {Plan("EXCHANGE_S_STANDARD")},{Plan("EXCHANGE_S_ENTERPRISE")},", defender.Error!.Message);

        // Nothing changed: the same licenses, no seat taken, no license write.
        Assert.Equal(new[] { O365E3Id }, Skus(await UserByUpn(client, UserKey(1))));
        Assert.Empty(Skus(await UserByUpn(client, UserKey(2))));
        var stats = await simulator.GetStatsAsync();
        Assert.Equal((4, 0L), (stats.DependencyViolations, stats.LicenseWrites));
        Assert.All((await client.SubscribedSkus.GetAsync())!.Value!.Where(s => s.SkuId != O365E3Id), s => Assert.Equal(0, s.ConsumedUnits));

        // Allowed: swapping E3 for E1 in one call (no moment with both Exchange plans), and Defender next to Exchange.
        Assert.Equal(new[] { O365E1 }, Skus(await client.Users[UserKey(1)].AssignLicense.PostAsync(Swap(O365E1, O365E3Id))));
        Assert.Contains(AtpId, Skus(await client.Users[UserKey(1)].AssignLicense.PostAsync(Add(AtpId))));

        // Removing the base a held add-on needs is refused as well.
        var strand = await ErrorFrom(() => client.Users[UserKey(1)].AssignLicense.PostAsync(new UserAssign { AddLicenses = new(), RemoveLicenses = new() { O365E1 } }));
        Assert.StartsWith($"License assignment failed because service plan {Plan("ATP_ENTERPRISE")} depends on", strand.Error!.Message);
    }

    [Fact]
    public async Task DirectAssignment_BreakingARule_InsideABatch_Is400ForThatItemOnly()
    {
        await using var simulator = await StartAsync(DirectTenant(), "--licensing-rules", "on");
        var client = Client(simulator);
        var batch = new BatchRequestContentCollection(client);
        await batch.AddBatchRequestStepAsync(client.Users[UserKey(1)].AssignLicense.ToPostRequestInformation(Add(O365E1)), "conflict");
        await batch.AddBatchRequestStepAsync(client.Users[UserKey(2)].AssignLicense.ToPostRequestInformation(Add(O365E1)), "fine");

        var responses = await client.Batch.PostAsync(batch);
        var codes = await responses.GetResponsesStatusCodesAsync();

        Assert.Equal(HttpStatusCode.BadRequest, codes["conflict"]);
        Assert.Equal(HttpStatusCode.OK, codes["fine"]);
        using var item = await responses.GetResponseByIdAsync("conflict");
        var error = JsonDocument.Parse(await item.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("Request_BadRequest", error.GetProperty("code").GetString());
        Assert.EndsWith("are mutually exclusive", error.GetProperty("message").GetString());
        Assert.Equal(new[] { O365E3Id }, Skus(await UserByUpn(client, UserKey(1))));
    }

    [Fact]
    public async Task WithoutLicensingRules_TheSameAssignmentsSucceed_AsBefore()
    {
        await using var simulator = await StartAsync(DirectTenant());
        var client = Client(simulator);
        Assert.Equal(2, Skus(await client.Users[UserKey(1)].AssignLicense.PostAsync(Add(O365E1))).Count);
        Assert.Contains(AtpId, Skus(await client.Users[UserKey(3)].AssignLicense.PostAsync(Add(AtpId))));
        Assert.Equal(0, (await simulator.GetStatsAsync()).DependencyViolations);
    }

    [Fact]
    public async Task GroupAssignment_PutsEachMemberInTheErrorItsCauseGives()
    {
        var restricted = Sku("SPE_E3");
        restricted["prohibitedUsageLocations"] = new JsonArray("CU");
        var tenant = TenantJson(
            new JsonArray(Sku("ENTERPRISEPACK"), Sku("STANDARDPACK"), Sku("SPE_E5"), Sku("ENTERPRISEPREMIUM", seats: 0), restricted),
            new JsonArray(
                User(11, "US", License(O365E3Id)),
                WithProxy(User(12, "US"), "SMTP:shared@contoso.com"),
                WithProxy(User(13, "US"), "smtp:Shared@contoso.com"),
                User(14, "CU"),
                User(15, "US"),
                User(16, "US")),
            new JsonArray(
                Group(1, new JsonArray(), 11),
                Group(2, new JsonArray(License(O365E3Id)), 12),
                Group(3, new JsonArray(License(SkuId("SPE_E3"))), 14),
                Group(4, new JsonArray(License(M365E5, "TEAMS1", "MCOSTANDARD")), 15),
                Group(5, new JsonArray(License(O365E5), License(SkuId("SPE_E3"))), 16)));
        await using var simulator = await StartAsync(tenant, "--licensing-rules", "on", "--group-start-delay-ms", "0");
        var client = Client(simulator);

        await client.Groups[GroupId(1).ToString()].AssignLicense.PostAsync(new GroupAssign
        {
            AddLicenses = new List<AssignedLicense> { new() { SkuId = O365E1, DisabledPlans = new List<Guid?>() } },
            RemoveLicenses = new List<Guid?>(),
        });
        await WaitForProcessingAsync(client, GroupId(1));

        Assert.Equal("MutuallyExclusiveViolation", await ErrorOfAsync(client, 11, O365E1));
        Assert.Equal("UniquenessViolation", await ErrorOfAsync(client, 12, O365E3Id));
        Assert.Equal("ProhibitedInUsageLocationViolation", await ErrorOfAsync(client, 14, SkuId("SPE_E3")));
        Assert.Equal("DependencyViolation", await ErrorOfAsync(client, 15, M365E5));
        Assert.Equal("CountViolation", await ErrorOfAsync(client, 16, O365E5));
        Assert.Equal("Other", await ErrorOfAsync(client, 16, SkuId("SPE_E3")));
        Assert.Equal(new[] { O365E3Id }, Skus(await UserByUpn(client, UserKey(11)))); // the conflicting license is not active
        var withErrors = (await client.Groups[GroupId(1).ToString()].MembersWithLicenseErrors.GetAsync())!.Value!;
        Assert.Equal(UserId(11).ToString(), Assert.Single(withErrors).Id);
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(1, stats.DependencyViolations); // the run-time group change; the others were the starting state
        Assert.Equal(1, stats.GroupMembersProcessed);
    }

    [Fact]
    public async Task GroupAssignment_WithoutLicensingRules_StillReportsCausesThatAreInTheTenant()
    {
        var tenant = TenantJson(
            new JsonArray(Sku("ENTERPRISEPACK"), Sku("STANDARDPACK")),
            new JsonArray(User(11, "US", License(O365E3Id)), WithProxy(User(12, "US"), "SMTP:a@contoso.com"), WithProxy(User(13, "US"), "SMTP:a@contoso.com")),
            new JsonArray(Group(1, new JsonArray(License(O365E1)), 11), Group(2, new JsonArray(License(O365E3Id)), 12)));
        await using var simulator = await StartAsync(tenant);
        var client = Client(simulator);
        Assert.Equal("None", await ErrorOfAsync(client, 11, O365E1));
        Assert.Equal("UniquenessViolation", await ErrorOfAsync(client, 12, O365E3Id));
    }

    private static JsonObject DirectTenant() => TenantJson(
        new JsonArray(Sku("ENTERPRISEPACK"), Sku("STANDARDPACK"), Sku("SPE_E5"), Sku("ATP_ENTERPRISE")),
        new JsonArray(User(1, "US", License(O365E3Id)), User(2, "US"), User(3, "US", License(O365E3Id, "EXCHANGE_S_ENTERPRISE"))));

    private static UserAssign Add(Guid skuId, params string[] disabledPlans) => new()
    {
        AddLicenses = new List<AssignedLicense> { new() { SkuId = skuId, DisabledPlans = disabledPlans.Select(p => (Guid?)Plan(p)).ToList() } },
        RemoveLicenses = new List<Guid?>(),
    };

    private static List<Guid> Skus(User? user) => user!.AssignedLicenses!.Select(l => l.SkuId!.Value).ToList();

    private static JsonObject WithProxy(JsonObject user, string address)
    {
        user["proxyAddresses"] = new JsonArray(address);
        return user;
    }

    private static Guid GroupId(int n) => Guid.Parse($"00000000-0000-4000-9000-{n:D12}");

    private static JsonObject Group(int n, JsonArray licenses, params int[] members) => new()
    {
        ["id"] = GroupId(n).ToString(),
        ["displayName"] = $"Licensing {n}",
        ["assignedLicenses"] = licenses,
        ["members"] = new JsonArray(members.Select(m => (JsonNode?)UserId(m).ToString()).ToArray()),
    };

    private static async Task<string?> ErrorOfAsync(GraphServiceClient client, int user, Guid skuId)
    {
        var states = (await client.Users[UserKey(user)].GetAsync(r => r.QueryParameters.Select = StateSelect))!.LicenseAssignmentStates!;
        var state = Assert.Single(states, s => s.SkuId == skuId && s.AssignedByGroup is not null);
        Assert.Equal(state.Error == "None" ? "Active" : "Error", state.State);
        return state.Error;
    }

    private static async Task WaitForProcessingAsync(GraphServiceClient client, Guid groupId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await client.Groups[groupId.ToString()].GetAsync(r => r.QueryParameters.Select = new[] { "licenseProcessingState" }))!.LicenseProcessingState?.State != "ProcessingComplete")
        {
            Assert.True(DateTime.UtcNow < deadline, "Group license processing did not complete.");
            await Task.Delay(20);
        }
    }
}
