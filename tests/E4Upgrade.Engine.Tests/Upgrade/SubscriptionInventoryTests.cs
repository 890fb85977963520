using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

public class SubscriptionInventoryTests
{
    private static FakeTenant Tenant()
    {
        var tenant = new FakeTenant();
        var e4 = TestSkus.E4(enabled: 100, subscriptionIds: new[] { "sub-a", "sub-b" });
        e4.SuspendedUnits = 5;
        e4.WarningUnits = 2;
        tenant.Skus.Add(e4);
        tenant.Skus.Add(TestSkus.Sku(TestSkus.FacultyId, "ENTERPRISEWITHSCAL_FACULTY", 10, "Enabled", TestSkus.E4Plans));
        tenant.Skus.Add(TestSkus.E5(enabled: 50, subscriptionIds: "sub-e5"));
        tenant.Skus.Add(TestSkus.E3(enabled: 7));
        tenant.Subscriptions.Add(new SubscriptionInfo { Id = "sub-a", SkuId = TestSkus.E4Id, Status = "Enabled", TotalLicenses = 60, NextLifecycleDateTime = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero) });
        tenant.Subscriptions.Add(new SubscriptionInfo { Id = "sub-b", SkuId = TestSkus.E4Id, Status = "Warning", TotalLicenses = 40, NextLifecycleDateTime = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero) });
        tenant.Subscriptions.Add(new SubscriptionInfo { Id = "sub-e5", SkuId = TestSkus.E5Id, Status = "Enabled", IsTrial = true, TotalLicenses = 50 });
        for (var i = 0; i < 30; i++) tenant.AddUser($"u{i}@contoso.com", TestSkus.E4Id);
        return tenant;
    }

    [Fact]
    public async Task E4_skus_come_with_seats_and_linked_subscriptions()
    {
        var result = await new SubscriptionInventory(Tenant()).GetAsync(null, CancellationToken.None);

        Assert.Equal(new[] { "ENTERPRISEWITHSCAL", "ENTERPRISEWITHSCAL_FACULTY" }, result.Select(r => r.SkuPartNumber));
        var e4 = result[0];
        Assert.Equal(SubscriptionRole.Source, e4.Role);
        Assert.Equal(100, e4.Enabled);
        Assert.Equal(30, e4.Consumed);
        Assert.Equal(70, e4.Available);
        Assert.Equal(5, e4.Suspended);
        Assert.Equal(2, e4.Warning);
        Assert.Equal(2, e4.SubscriptionCount);
        Assert.Equal("sub-a; sub-b", e4.SubscriptionIds);
        Assert.Equal("Enabled; Warning", e4.SubscriptionStatus);
        Assert.Equal(100, e4.TotalLicenses);
        Assert.Equal(new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero), e4.NextLifecycleDateTime);
        Assert.False(e4.IsTrial);
        Assert.Equal(2, e4.Subscriptions.Count);
    }

    [Fact]
    public async Task Target_and_all_add_the_other_skus()
    {
        var inventory = new SubscriptionInventory(Tenant());

        var withTarget = await inventory.GetAsync(new SubscriptionQuery { TargetSkus = new[] { "ENTERPRISEPREMIUM" } }, CancellationToken.None);
        var all = await inventory.GetAsync(new SubscriptionQuery { TargetSkus = new[] { "ENTERPRISEPREMIUM" }, All = true }, CancellationToken.None);

        var target = withTarget.Single(r => r.Role == SubscriptionRole.Target);
        Assert.Equal("ENTERPRISEPREMIUM", target.SkuPartNumber);
        Assert.True(target.IsTrial);
        Assert.Equal(4, all.Count);
        Assert.Equal(SubscriptionRole.Other, all.Single(r => r.SkuPartNumber == "ENTERPRISEPACK").Role);
    }

    [Fact]
    public async Task An_unknown_target_is_sku_not_found()
    {
        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => new SubscriptionInventory(Tenant()).GetAsync(new SubscriptionQuery { TargetSkus = new[] { "SPE_E5" } }, CancellationToken.None));

        Assert.Equal(ErrorIds.SkuNotFound, ex.ErrorId);
    }
}
