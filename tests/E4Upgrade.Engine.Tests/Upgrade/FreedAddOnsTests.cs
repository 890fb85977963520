using E4Upgrade.Engine.Tests.Licensing;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>Stop-E4Subscription's FreedAddOns: add-ons the target includes with seats free, never a suite.</summary>
public class FreedAddOnsTests
{
    [Fact]
    public async Task A_suite_the_target_includes_is_not_an_add_on_the_run_freed_even_with_every_seat_free()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4(enabled: 10));
        tenant.Skus.Add(CatalogSkus.Get(CatalogSkus.M365E5, enabled: 10));
        tenant.Skus.Add(TestSkus.E5(enabled: 25)); // Office 365 E5, never assigned: every plan of it is in Microsoft 365 E5
        tenant.Skus.Add(TodaysSkus.AudioConferencing(enabled: 10));
        var m365E5 = CatalogSkus.Get(CatalogSkus.M365E5).SkuId;
        tenant.AddUser("kept@contoso.com", m365E5, TodaysSkus.AudioConferencingId);

        var state = await new SubscriptionCloser(tenant).CloseAsync(new SubscriptionClosureOptions { TargetSkus = new[] { "SPE_E5" } }, CancellationToken.None);

        Assert.Equal(new[] { "MCOMEETADV: 9 of 10 seats free" }, state.FreedAddOns);
        Assert.DoesNotContain("ENTERPRISEPREMIUM", state.NextSteps);
    }
}
