using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Licensing;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;
using static E4Upgrade.GraphSimulator.Tests.Support.TenantFiles;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class CatalogTests
{
    [Fact]
    public void Catalog_IsMicrosoftsCsv_PlusTheSupplement()
    {
        var catalog = SkuCatalog.Shared;
        Assert.Equal(569 + 1, catalog.Skus.Count); // 569 CSV SKUs + the supplement's one with a sourced skuId (Teams Enterprise has none)
        var e4 = catalog.Find(SkuCatalog.E4)!;
        Assert.Equal("ENTERPRISEWITHSCAL", e4.SkuPartNumber);
        Assert.Equal(17, e4.Plans.Count);
        Assert.Equal(86, catalog.Find(M365E5)!.Plans.Count);

        var noTeams = catalog.Find(E5NoTeams)!;
        Assert.Equal("Microsoft_365_E5_(no_Teams)", noTeams.SkuPartNumber);
        Assert.Equal(85, noTeams.Plans.Count);
        Assert.DoesNotContain(noTeams.Plans, p => p.Name == "TEAMS1");
        Assert.Contains("SPE_E5", noTeams.Source);
        var teams = Assert.Single(catalog.FindByPartNumber("Microsoft_Teams_Enterprise_New"));
        Assert.Null(teams.SkuId);
        Assert.Contains(teams.Plans, p => p.Name == "TEAMS1");

        Assert.Single(catalog.FindByPartNumber("Office_365_w/o_Teams_Bundle_Business_Standard"));
        Assert.Equal(2, catalog.FindByPartNumber("MCOPSTN5").Count);
        Assert.Empty(catalog.FindByPartNumber("spe_e5")); // exact, as Graph spells it
    }

    [Fact]
    public void EveryRuleNamesASource_AndNoSuiteBreaksARuleOnItsOwn()
    {
        var rules = LicensingRules.Shared;
        Assert.NotEmpty(rules.Dependencies);
        Assert.All(rules.Dependencies, r => Assert.False(string.IsNullOrWhiteSpace(r.Source)));
        Assert.All(rules.Exclusions, r => Assert.False(string.IsNullOrWhiteSpace(r.Source)));
        Assert.Contains(rules.Exclusions, r => r.Plans.SequenceEqual(new[] { "EXCHANGE_S_STANDARD", "EXCHANGE_S_ENTERPRISE" }));
        foreach (var plan in new[] { "MCOEV", "MCOMEETADV", "SHAREPOINTWAC", "ATP_ENTERPRISE", "THREAT_INTELLIGENCE" })
        {
            Assert.Contains(rules.Dependencies, r => r.Plan == plan);
        }

        var suites = new[]
        {
            "ENTERPRISEWITHSCAL", "STANDARDPACK", "ENTERPRISEPACK", "ENTERPRISEPREMIUM", "SPE_E3", "SPE_E5", "SPE_E5_NOPSTNCONF",
            "Microsoft_365_E3_(no_Teams)", "Office_365_E3_(no_Teams)", "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_EEA_New",
            "Microsoft_Teams_Enterprise_New", "O365_BUSINESS", "SPB",
        };
        foreach (var part in suites)
        {
            var sku = Assert.Single(SkuCatalog.Shared.FindByPartNumber(part));
            Assert.Empty(rules.Check(sku.Plans.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First().Id)));
        }

        // A suite without Teams plus Teams Enterprise (Microsoft's recommended purchase since 2024) breaks nothing.
        var pair = SkuCatalog.Shared.Find(E5NoTeams)!.Plans.Concat(SkuCatalog.Shared.FindByPartNumber("Microsoft_Teams_Enterprise_New")[0].Plans);
        Assert.Empty(rules.Check(pair.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First().Id)));
    }

    [Fact]
    public async Task TenantFile_NamesSkusByPartNumberOrSkuId_AndGetsRealPlans_NextToTheInlineForm()
    {
        var teamsEnterprise = Guid.Parse("0f2b1a55-3e0c-4f4e-9d67-3c2b44a5e001"); // what this test tenant's /subscribedSkus would show
        var tenant = TenantJson(
            new JsonArray(
                Sku("Microsoft_365_E5_(no_Teams)", seats: 5),
                new JsonObject { ["skuPartNumber"] = "Microsoft_Teams_Enterprise_New", ["skuId"] = teamsEnterprise.ToString(), ["seats"] = 5 },
                new JsonObject { ["skuId"] = M365E5.ToString(), ["prepaidUnits"] = new JsonObject { ["enabled"] = 3 }, ["capabilityStatus"] = "Warning" },
                Sku("Office_365_w/o_Teams_Bundle_Business_Standard", seats: 1),
                new JsonObject
                {
                    ["skuId"] = E4.ToString(),
                    ["skuPartNumber"] = "ENTERPRISEWITHSCAL",
                    ["prepaidUnits"] = new JsonObject { ["enabled"] = 2 },
                    ["servicePlans"] = new JsonArray(new JsonObject { ["servicePlanId"] = Plan("TEAMS1").ToString(), ["servicePlanName"] = "TEAMS1", ["provisioningStatus"] = "Success" }),
                }),
            new JsonArray(User(1, "US", License(E4))));
        await using var simulator = await StartAsync(tenant);
        var client = Client(simulator);

        var skus = (await client.SubscribedSkus.GetAsync())!.Value!;
        Assert.Equal(5, skus.Count);
        var noTeams = skus.Single(s => s.SkuId == E5NoTeams);
        Assert.Equal("Microsoft_365_E5_(no_Teams)", noTeams.SkuPartNumber);
        Assert.Equal(85, noTeams.ServicePlans!.Count);
        Assert.All(noTeams.ServicePlans, p => Assert.Equal("Success", p.ProvisioningStatus));
        Assert.Equal(5, noTeams.PrepaidUnits!.Enabled);
        Assert.Contains(skus.Single(s => s.SkuId == teamsEnterprise).ServicePlans!, p => p.ServicePlanName == "TEAMS1");
        var m365 = skus.Single(s => s.SkuId == M365E5);
        Assert.Equal(("SPE_E5", "Warning", 86), (m365.SkuPartNumber, m365.CapabilityStatus, m365.ServicePlans!.Count));
        Assert.Equal("Office_365_w/o_Teams_Bundle_Business_Standard", skus.Single(s => s.SkuPartNumber!.Contains('/')).SkuPartNumber);
        Assert.Single(skus.Single(s => s.SkuId == E4).ServicePlans!); // the inline form is taken as given

        var subscriptions = (await client.Directory.Subscriptions.GetAsync())!.Value!;
        Assert.Equal(4, subscriptions.Count); // one per catalog-named SKU; the inline E4 gave none
        var sub = subscriptions.Single(s => s.SkuId == E5NoTeams.ToString());
        Assert.Equal(5, sub.TotalLicenses);
        Assert.Contains(sub.CommerceSubscriptionId, noTeams.SubscriptionIds!);

        var moved = await client.Users[UserKey(1)].AssignLicense.PostAsync(Swap(E5NoTeams, E4));
        Assert.Equal(E5NoTeams, Assert.Single(moved!.AssignedLicenses!).SkuId);
    }

    [Theory]
    [InlineData("NOT_A_REAL_SKU", null, "is not in the SKU catalog")]
    [InlineData("MCOPSTN5", null, "names 2 SKUs in the catalog")]
    [InlineData("Microsoft_Teams_Enterprise_New", null, "no sourced skuId")]
    [InlineData("SPE_E3", "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "is SPE_E5 in the catalog")]
    public async Task TenantFile_WithAnUnresolvableSku_DoesNotStart(string partNumber, string? skuId, string reason)
    {
        var sku = Sku(partNumber);
        if (skuId is not null)
        {
            sku["skuId"] = skuId;
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(TenantJson(new JsonArray(sku), new JsonArray())));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task Standalone_WithABadTenantFile_SaysWhyAndExitsWith2()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tenant-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, TenantJson(new JsonArray(Sku("NOT_A_REAL_SKU")), new JsonArray()).ToJsonString());
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        try
        {
            Assert.Equal(2, await SimulatorHost.RunAsync(new[] { "--tenant", file }, CancellationToken.None));
        }
        finally
        {
            Console.SetError(original);
            File.Delete(file);
        }

        Assert.Contains("NOT_A_REAL_SKU", stderr.ToString());
    }
}
