using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Tests.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Connection;

/// <summary>The warning Connect-E4Upgrade -AccessToken gives when the token ends before an upgrade of the tenant could.</summary>
public sealed class AccessTokenLifetimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static SkuInfoList Tenant(int e4Users)
    {
        var e4 = TestSkus.E4(enabled: e4Users + 10);
        e4.ConsumedUnits = e4Users;
        var e5 = TestSkus.E5();
        e5.ConsumedUnits = 5_000;
        return new SkuInfoList { e4, e5 };
    }

    [Fact]
    public void A_token_that_ends_before_the_tenants_E4_users_could_move_is_warned_about()
    {
        // 100,000 writes at 20 per second after the first window: well over an hour.
        var warning = AccessTokenLifetime.WarningFor(Now.AddMinutes(60), Now, Tenant(100_000));

        Assert.NotNull(warning);
        Assert.Contains("2026-12-07 13:00:00Z", warning);
        Assert.Contains("100,000 E4 users", warning);
        Assert.Contains("TokenExpired", warning);
    }

    [Fact]
    public void A_token_that_outlives_the_estimate_and_the_margin_is_not()
    {
        Assert.Null(AccessTokenLifetime.WarningFor(Now.AddMinutes(60), Now, Tenant(1_000)));
    }

    [Fact]
    public void Within_the_runs_margin_even_a_small_tenant_is_warned_about()
    {
        Assert.NotNull(AccessTokenLifetime.WarningFor(Now.AddMinutes(2), Now, Tenant(40)));
    }

    [Fact]
    public void A_tenant_without_E4_users_has_nothing_to_warn_about()
    {
        Assert.Null(AccessTokenLifetime.WarningFor(Now.AddMinutes(1), Now, Tenant(0)));
    }

    private sealed class SkuInfoList : List<E4Upgrade.Engine.Graph.SkuInfo>
    {
    }
}
