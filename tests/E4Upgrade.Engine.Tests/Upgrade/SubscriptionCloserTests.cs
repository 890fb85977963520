using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

public class SubscriptionCloserTests
{
    private static FakeTenant Tenant()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4(enabled: 40, subscriptionIds: "sub-e4"));
        tenant.Skus.Add(TestSkus.E5());
        tenant.Subscriptions.Add(new SubscriptionInfo { Id = "sub-e4", SkuId = TestSkus.E4Id, Status = "Enabled", TotalLicenses = 40 });
        return tenant;
    }

    [Fact]
    public async Task A_free_E4_returns_the_state_and_says_how_to_cancel_in_the_admin_center()
    {
        var tenant = Tenant();
        tenant.AddUser("moved@contoso.com", TestSkus.E5Id);

        var state = await new SubscriptionCloser(tenant).CloseAsync(null, CancellationToken.None);

        Assert.True(state.ReadyToCancel);
        Assert.False(state.CanCancelThroughApi);
        Assert.Equal("ENTERPRISEWITHSCAL", state.SkuPartNumber);
        Assert.Equal(0, state.Consumed);
        Assert.Equal("sub-e4", state.SubscriptionIds);
        Assert.Contains("no public API", state.NextSteps);
        Assert.Contains("Billing > Your products", state.NextSteps);
        Assert.Contains("25 or fewer", state.NextSteps); // 40 licenses: reduce first
        Assert.Contains("7 days", state.NextSteps);
        Assert.Contains("partner", state.NextSteps);
        Assert.Equal(0, tenant.TotalWrites);
    }

    [Fact]
    public async Task Next_steps_list_add_on_subscriptions_the_target_includes_whose_seats_became_free()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4(enabled: 10));
        tenant.Skus.Add(TodaysSkus.E5NoTeams());
        tenant.Skus.Add(TodaysSkus.TeamsEnterprise());
        tenant.Skus.Add(TodaysSkus.AudioConferencing(enabled: 10));
        tenant.Skus.Add(TodaysSkus.TeamsPhone(enabled: 5));
        tenant.AddUser("kept@contoso.com", TodaysSkus.E5NoTeamsId, TodaysSkus.TeamsEnterpriseId, TodaysSkus.AudioConferencingId);
        for (var i = 0; i < 5; i++) tenant.AddUser($"phone{i}@contoso.com", TodaysSkus.E5NoTeamsId, TodaysSkus.TeamsEnterpriseId, TodaysSkus.TeamsPhoneId);

        var state = await new SubscriptionCloser(tenant).CloseAsync(
            new SubscriptionClosureOptions { TargetSkus = new[] { "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise_New" }, RemovedAddOns = new[] { "MCOMEETADV", "MCOEV" } }, CancellationToken.None);

        Assert.Equal(new[] { "MCOMEETADV: 9 of 10 seats free" }, state.FreedAddOns); // Teams Phone has no free seat
        Assert.Contains("Add-on subscriptions that the target includes now have free seats: MCOMEETADV: 9 of 10 seats free", state.NextSteps);
    }

    [Fact]
    public async Task Users_still_holding_E4_make_it_refuse_naming_them()
    {
        var tenant = Tenant();
        for (var i = 0; i < 25; i++) tenant.AddUser($"left{i}@contoso.com", TestSkus.E4Id);

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => new SubscriptionCloser(tenant).CloseAsync(new SubscriptionClosureOptions { MaxNamed = 20 }, CancellationToken.None));

        Assert.Equal(ErrorIds.E4StillInUse, ex.ErrorId);
        Assert.Equal(ErrorCategoryNames.InvalidOperation, ex.Category);
        Assert.Contains("left0@contoso.com", ex.Message);
        Assert.Contains("25 users", ex.Message);
        Assert.Contains("and 5 more", ex.Message);
        Assert.Equal(0, tenant.TotalWrites);
    }

    [Fact]
    public async Task A_group_still_assigning_E4_makes_it_refuse_even_with_force()
    {
        var tenant = Tenant();
        var member = tenant.AddUser("member@contoso.com", TestSkus.E5Id);
        var group = tenant.AddGroup("Old E4 group", TestSkus.E4Id, new[] { member });

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => new SubscriptionCloser(tenant).CloseAsync(new SubscriptionClosureOptions { Force = true }, CancellationToken.None));

        Assert.Equal(ErrorIds.E4StillInUse, ex.ErrorId);
        Assert.Contains($"Old E4 group ({group.Id})", ex.Message);
        Assert.Equal(0, tenant.TotalWrites);
        Assert.True(tenant.Holds(member, TestSkus.E4Id));
    }

    [Fact]
    public async Task Force_removes_E4_only_from_users_who_hold_the_target()
    {
        var tenant = Tenant();
        var both = Enumerable.Range(0, 23).Select(i => tenant.AddUser($"both{i}@contoso.com", TestSkus.E4Id, TestSkus.E5Id)).ToList();
        var onlyE4 = tenant.AddUser("onlye4@contoso.com", TestSkus.E4Id);

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => new SubscriptionCloser(tenant).CloseAsync(new SubscriptionClosureOptions { Force = true }, CancellationToken.None));

        Assert.Equal(ErrorIds.E4StillInUse, ex.ErrorId);
        Assert.Contains("Removed ENTERPRISEWITHSCAL from 23 users", ex.Message);
        Assert.Contains("onlye4@contoso.com", ex.Message);
        Assert.All(both, u =>
        {
            Assert.False(tenant.Holds(u, TestSkus.E4Id));
            Assert.True(tenant.Holds(u, TestSkus.E5Id));
        });
        Assert.True(tenant.Holds(onlyE4, TestSkus.E4Id));
        Assert.False(tenant.LicenseWrites.ContainsKey(onlyE4.Id));
    }

    [Fact]
    public async Task Force_with_only_leftovers_next_to_the_target_cleans_up_and_returns_the_state()
    {
        var tenant = Tenant();
        var users = Enumerable.Range(0, 3).Select(i => tenant.AddUser($"both{i}@contoso.com", TestSkus.E4Id, TestSkus.E5Id)).ToList();
        var calls = 0;
        tenant.Intercept = w => ++calls == 1 ? new WriteOutcome { Status = 429, RetryAfter = TimeSpan.FromMilliseconds(10) } : null;

        var state = await new SubscriptionCloser(tenant).CloseAsync(new SubscriptionClosureOptions { Force = true, TargetSkus = new[] { "ENTERPRISEPREMIUM" } }, CancellationToken.None);

        Assert.True(state.ReadyToCancel);
        Assert.Equal(3, state.RemovedFromUsers);
        Assert.Equal(0, state.Consumed);
        Assert.All(users, u => Assert.True(tenant.Holds(u, TestSkus.E5Id)));
        Assert.All(tenant.LicenseWrites.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task A_removal_whose_answer_was_lost_is_read_back_and_not_sent_again()
    {
        // Graph applies the first removal but its answer never arrives; sent again, Graph would answer 400 (E4 is gone).
        var tenant = Tenant();
        var user = tenant.AddUser("both@contoso.com", TestSkus.E4Id, TestSkus.E5Id);
        var lost = false;
        tenant.Intercept = w =>
        {
            if (lost)
            {
                return null;
            }

            lost = true;
            tenant.SendWritesAsync(new[] { w }, CancellationToken.None).GetAwaiter().GetResult();
            return new WriteOutcome { Status = 504, ErrorCode = "GatewayTimeout" };
        };
        var clock = new Pacing.ManualClock();

        var state = await new SubscriptionCloser(tenant, clock).CloseAsync(new SubscriptionClosureOptions { Force = true, TargetSkus = new[] { "ENTERPRISEPREMIUM" } }, CancellationToken.None);

        Assert.True(state.ReadyToCancel);
        Assert.Equal(new[] { "both@contoso.com" }, state.RemovedUserPrincipalNames);
        Assert.Equal(1, tenant.TotalWrites);
        Assert.True(tenant.Holds(user, TestSkus.E5Id));
        Assert.Contains(clock.Delays, d => d >= new SubscriptionClosureOptions().ReplicationLag);
    }

    [Fact]
    public async Task Without_force_users_next_to_the_target_are_named_and_kept()
    {
        var tenant = Tenant();
        var user = tenant.AddUser("both@contoso.com", TestSkus.E4Id, TestSkus.E5Id);

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => new SubscriptionCloser(tenant).CloseAsync(null, CancellationToken.None));

        Assert.Contains("-RemoveFromUsersWithTarget removes E4 from them", ex.Message);
        Assert.True(tenant.Holds(user, TestSkus.E4Id));
    }

    [Fact]
    public async Task A_seat_count_without_any_holder_still_refuses()
    {
        var tenant = Tenant();
        tenant.Skus[0].ConsumedUnits = 2; // seats counted for no user the tenant lists (the model adds its holders to these)

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => new SubscriptionCloser(tenant).CloseAsync(null, CancellationToken.None));

        Assert.Contains("2 seats consumed", ex.Message);
        Assert.Contains("lag", ex.Message);
    }

    [Fact]
    public async Task No_E4_in_the_tenant_is_sku_not_found()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E5());

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => new SubscriptionCloser(tenant).CloseAsync(null, CancellationToken.None));

        Assert.Equal(ErrorIds.SkuNotFound, ex.ErrorId);
    }

    [Theory]
    [InlineData("Suspended")]
    [InlineData("Warning")]
    [InlineData("LockedOut")]
    public async Task Force_with_a_named_target_that_is_not_Enabled_is_refused_before_any_write(string status)
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4(enabled: 40, subscriptionIds: "sub-e4"));
        tenant.Skus.Add(TestSkus.E5(status: status));
        var both = tenant.AddUser("both@contoso.com", TestSkus.E4Id, TestSkus.E5Id);

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => new SubscriptionCloser(tenant).CloseAsync(
            new SubscriptionClosureOptions { Force = true, TargetSkus = new[] { "ENTERPRISEPREMIUM" } }, CancellationToken.None));

        Assert.Equal(ErrorIds.TargetNotReady, ex.ErrorId);
        Assert.Contains(status, ex.Message);
        Assert.Equal(0, tenant.TotalWrites);
        Assert.True(tenant.Holds(both, TestSkus.E4Id));
    }

    [Fact]
    public async Task Force_without_a_named_target_counts_only_Enabled_targets()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4(enabled: 40, subscriptionIds: "sub-e4"));
        tenant.Skus.Add(TestSkus.E5(status: "Suspended"));
        var both = tenant.AddUser("both@contoso.com", TestSkus.E4Id, TestSkus.E5Id);

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => new SubscriptionCloser(tenant).CloseAsync(
            new SubscriptionClosureOptions { Force = true }, CancellationToken.None));

        Assert.Equal(ErrorIds.E4StillInUse, ex.ErrorId);
        Assert.Equal(0, tenant.TotalWrites);
        Assert.True(tenant.Holds(both, TestSkus.E4Id));
    }

    [Fact]
    public async Task Force_reads_each_user_again_right_before_removing_E4()
    {
        var tenant = Tenant();
        var keeps = tenant.AddUser("keeps@contoso.com", TestSkus.E4Id, TestSkus.E5Id);
        var losesTarget = tenant.AddUser("loses-target@contoso.com", TestSkus.E4Id, TestSkus.E5Id);
        // Between the listing and the removal someone takes the target away again.
        tenant.AfterUserListing = () =>
        {
            losesTarget.Direct.Remove(TestSkus.E5Id);
            tenant.AfterUserListing = null;
        };

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => new SubscriptionCloser(tenant).CloseAsync(
            new SubscriptionClosureOptions { Force = true }, CancellationToken.None));

        Assert.Equal(ErrorIds.E4StillInUse, ex.ErrorId);
        Assert.False(tenant.Holds(keeps, TestSkus.E4Id));
        Assert.True(tenant.Holds(losesTarget, TestSkus.E4Id), "a user who lost the target since the listing must keep E4");
        Assert.Contains("loses-target@contoso.com", ex.Message);
    }
}
