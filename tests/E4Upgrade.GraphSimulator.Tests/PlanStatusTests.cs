using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;
using static E4Upgrade.GraphSimulator.Tests.Support.TenantFiles;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class PlanStatusTests
{
    [Fact]
    public async Task ServicePlanStatus_ShowsInSubscribedSkus_AndInLicenseDetails_WhereDisabledStillWins()
    {
        var e5 = Sku("SPE_E5");
        e5["servicePlanStatus"] = new JsonObject { ["INTUNE_O365"] = "PendingActivation", [Plan("MCOEV").ToString()] = "PendingInput" };
        await using var simulator = await StartAsync(TenantJson(new JsonArray(e5), new JsonArray(User(1, "US", License(M365E5, "SWAY")))));
        var client = Client(simulator);

        var plans = (await client.SubscribedSkus.GetAsync())!.Value!.Single().ServicePlans!;
        Assert.Equal("PendingActivation", plans.Single(p => p.ServicePlanName == "INTUNE_O365").ProvisioningStatus);
        Assert.Equal("PendingInput", plans.Single(p => p.ServicePlanName == "MCOEV").ProvisioningStatus);
        Assert.Equal(84, plans.Count(p => p.ProvisioningStatus == "Success"));

        var detail = Assert.Single((await client.Users[UserKey(1)].LicenseDetails.GetAsync())!.Value!);
        Assert.Equal("PendingActivation", detail.ServicePlans!.Single(p => p.ServicePlanName == "INTUNE_O365").ProvisioningStatus);
        Assert.Equal("Disabled", detail.ServicePlans!.Single(p => p.ServicePlanName == "SWAY").ProvisioningStatus);

        // The inspection dump keeps the statuses, so a saved tenant loads back the same.
        using var dump = await simulator.GetTenantAsync();
        Assert.Equal("PendingActivation", dump.RootElement.GetProperty("subscribedSkus")[0].GetProperty("servicePlanStatus").GetProperty("INTUNE_O365").GetString());
    }

    [Fact]
    public async Task RealisticProfile_ShowsIntuneForOffice365PendingActivation_UnlessTheTenantFileOrCommandLineSaysOtherwise()
    {
        await using (var generated = await SimulatorHost.StartAsync("--users", "20", "--profile", "realistic"))
        {
            var skus = (await Client(generated).SubscribedSkus.GetAsync())!.Value!;
            var withIntune = skus.Where(s => s.ServicePlans!.Any(p => p.ServicePlanName == "INTUNE_O365")).ToList();
            Assert.Equal(4, withIntune.Count); // the four targets; E4 has no INTUNE_O365
            Assert.All(withIntune, s => Assert.Equal("PendingActivation", s.ServicePlans!.Single(p => p.ServicePlanName == "INTUNE_O365").ProvisioningStatus));
            Assert.Equal("realistic", (await generated.GetStatsAsync()).Profile);
        }

        var activated = Sku("ENTERPRISEPACK");
        activated["servicePlanStatus"] = new JsonObject { ["INTUNE_O365"] = "Success" };
        var tenant = TenantJson(new JsonArray(activated, Sku("SPE_E3")), new JsonArray());
        await using (var fromFile = await StartAsync(tenant, "--profile", "realistic"))
        {
            var skus = (await Client(fromFile).SubscribedSkus.GetAsync())!.Value!;
            Assert.Equal("Success", Intune(skus.Single(s => s.SkuPartNumber == "ENTERPRISEPACK")));
            Assert.Equal("PendingActivation", Intune(skus.Single(s => s.SkuPartNumber == "SPE_E3")));
        }

        await using var overridden = await StartAsync(tenant, "--profile", "realistic", "--plan-status", "INTUNE_O365=default");
        Assert.All((await Client(overridden).SubscribedSkus.GetAsync())!.Value!, s => Assert.Equal("Success", Intune(s)));

        await using var ideal = await SimulatorHost.StartAsync("--users", "20");
        Assert.All((await Client(ideal).SubscribedSkus.GetAsync())!.Value!, s => Assert.All(s.ServicePlans!, p => Assert.Equal("Success", p.ProvisioningStatus)));
    }

    [Fact]
    public async Task ProvisioningSeconds_ShowPendingProvisioning_OnEveryPlanOfThatSkuOnly_DuringTheWindow()
    {
        // An hour: the reads below fall inside it on any machine, however loaded.
        await using var simulator = await StartAsync(FreshE5Tenant(provisioningSeconds: 3600));
        var client = Client(simulator);

        var during = (await client.SubscribedSkus.GetAsync())!.Value!;
        Assert.All(during.Single(s => s.SkuId == M365E5).ServicePlans!, p => Assert.Equal("PendingProvisioning", p.ProvisioningStatus));
        Assert.All(during.Single(s => s.SkuPartNumber == "SPE_E3").ServicePlans!, p => Assert.Equal("Success", p.ProvisioningStatus));
        Assert.All(Assert.Single((await client.Users[UserKey(1)].LicenseDetails.GetAsync())!.Value!).ServicePlans!,
            p => Assert.Equal("PendingProvisioning", p.ProvisioningStatus));
    }

    [Fact]
    public async Task ProvisioningSeconds_OnceTheWindowHasPassed_ShowTheSteadyStatuses()
    {
        // 0.2 s at --time-scale 5: waited for by polling, so a slow machine only makes the wait shorter.
        await using var simulator = await StartAsync(FreshE5Tenant(provisioningSeconds: 1), "--time-scale", "5");
        var client = Client(simulator);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<Microsoft.Graph.Models.ServicePlanInfo> plans;
        while (true)
        {
            plans = (await client.SubscribedSkus.GetAsync())!.Value!.Single(s => s.SkuId == M365E5).ServicePlans!;
            if (plans.All(p => p.ProvisioningStatus != "PendingProvisioning"))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "Provisioning never finished.");
            await Task.Delay(50);
        }

        Assert.Equal("PendingActivation", plans.Single(p => p.ServicePlanName == "INTUNE_O365").ProvisioningStatus);
        Assert.Equal(85, plans.Count(p => p.ProvisioningStatus == "Success"));
    }

    /// <summary>A new M365 E5 still provisioning (Intune for Office 365 then waits for activation), an E3 long set up, one E5 user.</summary>
    private static JsonObject FreshE5Tenant(double provisioningSeconds)
    {
        var fresh = Sku("SPE_E5");
        fresh["provisioningSeconds"] = provisioningSeconds;
        fresh["servicePlanStatus"] = new JsonObject { ["INTUNE_O365"] = "PendingActivation" };
        return TenantJson(new JsonArray(fresh, Sku("SPE_E3")), new JsonArray(User(1, "US", License(M365E5))));
    }

    private static string? Intune(Microsoft.Graph.Models.SubscribedSku sku) =>
        sku.ServicePlans!.Single(p => p.ServicePlanName == "INTUNE_O365").ProvisioningStatus;
}
