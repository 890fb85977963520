using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Licensing;
using E4Upgrade.GraphSimulator.Tenant;
using Xunit;

namespace E4Upgrade.GraphSimulator.Tests;

/// <summary>The tenant model's surface for in-process callers (the engine tests' SimulatedTenant).</summary>
public sealed class TenantModelTests
{
    private static readonly Guid E3 = Guid.Parse("6fd2c87f-b296-42f0-b197-1e91e994b900");
    private static readonly Guid E5 = Guid.Parse("c7df2760-2c81-4ef7-b578-5b5392b571df");
    private static readonly Guid GroupId = Guid.Parse("0b0b0b0b-0000-4000-8000-000000000001");

    [Fact]
    public void PutSku_RedefinesASku_KeepsItsHoldersCounted_OnTopOfTheSeatsItSaysAreHeldOutside()
    {
        var tenant = Tenant(users: 2, holding: E3);
        Assert.Equal(2, tenant.Skus[E3].Consumed);

        var redefined = Sku(tenant, "ENTERPRISEPACK", seats: 3);
        redefined.Consumed = 1;
        tenant.PutSku(redefined);

        Assert.Same(redefined, Assert.Single(tenant.SkuOrder, s => s.SkuId == E3));
        Assert.Equal(3, tenant.Skus[E3].Consumed);
        Assert.False(tenant.Skus[E3].CanTakeNewSeat);
        Assert.Equal(2, tenant.UsersHolding(E3)!.Count);
    }

    [Fact]
    public void PutSku_AddsASkuItsHoldersAlreadyHave_AndCountsThem()
    {
        var tenant = Tenant(users: 2, holding: E5); // E5 is not in the tenant's SKUs yet

        tenant.PutSku(Sku(tenant, "ENTERPRISEPREMIUM", seats: 10));

        Assert.Equal(2, tenant.Skus[E5].Consumed);
        Assert.Equal(new[] { 0, 1 }, tenant.UsersHolding(E5)!);
    }

    [Fact]
    public void RemoveGroup_RefusesAGroupWithLicenses_AndOnceTheyAreGone_TakesItsMembersOut()
    {
        var tenant = Tenant(users: 2, holding: null, groupLicense: E3);
        var group = tenant.FindGroup(GroupId.ToString())!;
        Assert.All(tenant.Users, u => Assert.Contains(u.Assignments, a => a.GroupId == GroupId && a.IsActive));

        Assert.Throws<InvalidOperationException>(() => tenant.RemoveGroup(group));

        group.Licenses = Array.Empty<LicenseAssignment>();
        GroupLicenseProcessor.ProcessAll(tenant, group, DateTimeOffset.UtcNow);
        tenant.RemoveGroup(group);

        Assert.Null(tenant.FindGroup(GroupId.ToString()));
        Assert.All(tenant.Users, u => Assert.Empty(u.GroupIds));
        Assert.All(tenant.Users, u => Assert.Empty(u.Assignments));
        Assert.Equal(0, tenant.Skus[E3].Consumed);
    }

    private static TenantState Tenant(int users, Guid? holding, Guid? groupLicense = null)
    {
        var ids = Enumerable.Range(1, users).Select(n => new Guid(n, 0, 0, new byte[8])).ToList();
        var root = new JsonObject
        {
            ["subscribedSkus"] = new JsonArray(new JsonObject { ["skuPartNumber"] = "ENTERPRISEPACK", ["seats"] = 5 }),
            ["users"] = new JsonArray(ids.Select((id, i) => (JsonNode?)new JsonObject
            {
                ["id"] = id.ToString(),
                ["userPrincipalName"] = $"user{i}@contoso.com",
                ["usageLocation"] = "US",
                ["assignedLicenses"] = holding is { } sku
                    ? new JsonArray(new JsonObject { ["skuId"] = sku.ToString(), ["disabledPlans"] = new JsonArray() })
                    : new JsonArray(),
            }).ToArray()),
            ["groups"] = groupLicense is { } license
                ? new JsonArray(new JsonObject
                {
                    ["id"] = GroupId.ToString(),
                    ["displayName"] = "Staff",
                    ["assignedLicenses"] = new JsonArray(new JsonObject { ["skuId"] = license.ToString(), ["disabledPlans"] = new JsonArray() }),
                    ["members"] = new JsonArray(ids.Select(id => (JsonNode?)id.ToString()).ToArray()),
                })
                : new JsonArray(),
        };
        return TenantLoader.Load(root);
    }

    private static SkuState Sku(TenantState tenant, string partNumber, int seats)
    {
        var (full, fromCatalog) = SkuReader.Complete(tenant.TenantId, new JsonObject { ["skuPartNumber"] = partNumber, ["seats"] = seats }, SkuCatalog.Shared);
        return SkuReader.Read(tenant.TenantId, full, fromCatalog, tenant.Settings, DateTimeOffset.UtcNow);
    }
}
