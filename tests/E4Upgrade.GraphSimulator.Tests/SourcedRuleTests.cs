using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;
using static E4Upgrade.GraphSimulator.Tests.Support.TenantFiles;
using UserAssign = Microsoft.Graph.Users.Item.AssignLicense.AssignLicensePostRequestBody;

namespace E4Upgrade.GraphSimulator.Tests;

/// <summary>The rules added from Microsoft's pages and Graph's quoted answers: Workplace Analytics needs Exchange Online (Plan 2); SHAREPOINT_PROJECT needs SHAREPOINTENTERPRISE.</summary>
public sealed class SourcedRuleTests
{
    private static JsonObject Tenant() => TenantJson(
        new JsonArray(Sku("WORKPLACE_ANALYTICS"), Sku("ENTERPRISEPACK"), Sku("STANDARDPACK"), Sku("PROJECTPREMIUM")),
        new JsonArray(User(1, "US"), User(2, "US", License(SkuId("ENTERPRISEPACK"))), User(3, "US", License(SkuId("STANDARDPACK"))), User(4, "US")));

    [Fact]
    public async Task WorkplaceAnalytics_NeedsExchangeOnlinePlan2()
    {
        await using var simulator = await TenantFiles.StartAsync(Tenant(), "--licensing-rules", "on");
        var client = Client(simulator);

        var alone = await ErrorFrom(() => client.Users[UserKey(1)].AssignLicense.PostAsync(Add(SkuId("WORKPLACE_ANALYTICS"))));
        var withPlan1 = await ErrorFrom(() => client.Users[UserKey(3)].AssignLicense.PostAsync(Add(SkuId("WORKPLACE_ANALYTICS"))));
        await client.Users[UserKey(2)].AssignLicense.PostAsync(Add(SkuId("WORKPLACE_ANALYTICS")));

        Assert.Equal($"License assignment failed because service plan {Plan("WORKPLACE_ANALYTICS")} depends on the service plan(s) {Plan("EXCHANGE_S_ENTERPRISE")}", alone.Error!.Message);
        Assert.Equal(400, withPlan1.ResponseStatusCode);
    }

    [Fact]
    public async Task ProjectForTheWeb_NeedsSharePointPlan2()
    {
        await using var simulator = await TenantFiles.StartAsync(Tenant(), "--licensing-rules", "on");
        var client = Client(simulator);

        var refused = await ErrorFrom(() => client.Users[UserKey(4)].AssignLicense.PostAsync(Add(SkuId("PROJECTPREMIUM"), Plan("SHAREPOINTENTERPRISE"), Plan("SHAREPOINTWAC"))));
        await client.Users[UserKey(4)].AssignLicense.PostAsync(Add(SkuId("PROJECTPREMIUM"), Plan("SHAREPOINTENTERPRISE"), Plan("SHAREPOINT_PROJECT"), Plan("SHAREPOINTWAC")));

        Assert.Contains($"service plan {Plan("SHAREPOINT_PROJECT")} depends on the service plan(s) {Plan("SHAREPOINTENTERPRISE")}", refused.Error!.Message);
    }

    private static UserAssign Add(Guid sku, params Guid[] disabled) => new()
    {
        AddLicenses = new List<AssignedLicense> { new() { SkuId = sku, DisabledPlans = disabled.Select(d => (Guid?)d).ToList() } },
        RemoveLicenses = new List<Guid?>(),
    };
}
