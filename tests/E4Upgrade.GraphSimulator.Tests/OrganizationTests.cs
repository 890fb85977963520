using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Tests.Support;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

/// <summary>GET /organization: one organization whose id is the tenant id, as Graph's organization resource documents.</summary>
public sealed class OrganizationTests
{
    private const string TenantId = "3f9d1c2e-7a4b-4e51-9c0d-2b6a8e1f4c77";

    [Fact]
    public async Task Organization_IsOneObjectWhoseIdIsTheTenantIdOfTheTenantFile()
    {
        var sku = TenantFiles.Sku("ENTERPRISEWITHSCAL");
        sku["accountId"] = TenantId;
        sku["accountName"] = "Fabrikam";
        await using var simulator = await TenantFiles.StartAsync(TenantFiles.TenantJson(new JsonArray(sku), new JsonArray()), "--token", "t");
        var client = Client(simulator, "t");

        var organizations = (await client.Organization.GetAsync())!.Value!;

        var organization = Assert.Single(organizations);
        Assert.Equal(TenantId, organization.Id);
        Assert.Equal("Fabrikam", organization.DisplayName);
        Assert.Equal(TenantId, (await client.Organization[TenantId].GetAsync())!.Id);
        var other = await ErrorFrom(() => client.Organization[Guid.NewGuid().ToString()].GetAsync());
        Assert.Equal(404, other.ResponseStatusCode);
    }

    [Fact]
    public async Task Organization_OfAGeneratedTenant_IsTheTenantIdItsSkusCarry_AndHonoursSelect()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "5", "--token", "t", "--seed", "3");
        using var tenant = await simulator.GetTenantAsync();
        var accountId = tenant.RootElement.GetProperty("subscribedSkus")[0].GetProperty("accountId").GetString();

        var organization = Assert.Single((await Client(simulator, "t").Organization.GetAsync(r => r.QueryParameters.Select = new[] { "id" }))!.Value!);

        Assert.Equal(accountId, organization.Id);
        Assert.Null(organization.DisplayName);
    }
}
