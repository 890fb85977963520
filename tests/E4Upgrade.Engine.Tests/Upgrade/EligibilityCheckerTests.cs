using System.Runtime.CompilerServices;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

public class EligibilityCheckerTests
{
    private static FakeTenant Tenant(SkuInfo? target = null, int e4Users = 3)
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4(subscriptionIds: "sub-e4"));
        tenant.Skus.Add(target ?? TestSkus.E5(subscriptionIds: "sub-e5"));
        tenant.Subscriptions.Add(new SubscriptionInfo { Id = "sub-e4", SkuId = TestSkus.E4Id, SkuPartNumber = "ENTERPRISEWITHSCAL", Status = "Enabled", TotalLicenses = 1000 });
        tenant.Subscriptions.Add(new SubscriptionInfo { Id = "sub-e5", SkuId = TestSkus.E5Id, SkuPartNumber = "ENTERPRISEPREMIUM", Status = "Enabled", TotalLicenses = 1000 });
        for (var i = 0; i < e4Users; i++) tenant.AddUser($"user{i}@contoso.com", TestSkus.E4Id);
        return tenant;
    }

    private static EligibilityFinding? Find(EligibilityReport report, string code) => report.Findings.SingleOrDefault(f => f.Code == code);

    [Fact]
    public async Task A_clean_tenant_is_eligible_with_counts()
    {
        var tenant = Tenant();
        var members = new[] { tenant.AddUser("g1@contoso.com"), tenant.AddUser("g2@contoso.com") };
        tenant.AddGroup("E4 staff", TestSkus.E4Id, members);

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        Assert.True(report.IsEligible);
        Assert.Equal(3, report.DirectE4Users);
        Assert.Equal(2, report.GroupE4Users);
        Assert.Equal(5, report.TotalE4Users);
        Assert.Equal(1, report.E4Groups);
        Assert.Equal(5, report.UsersNeedingTargetSeat);
        Assert.True(report.TargetAvailable);
        Assert.Equal("ENTERPRISEWITHSCAL", report.SourceSku);
        Assert.Equal(TestSkus.E5Id, report.TargetSkuId);
        Assert.All(report.Findings, f => Assert.Equal(FindingSeverity.Warning, f.Severity));
        Assert.Null(Find(report, FindingCodes.FeatureLoss)); // E5 keeps voice conferencing through MCOMEETADV/MCOEV
        Assert.Null(Find(report, FindingCodes.ServiceLoss));
        Assert.True(report.ExpectedDuration > TimeSpan.Zero);
        Assert.Contains("3 writes", report.DurationEstimate);
    }

    [Fact]
    public async Task No_E4_in_the_tenant_is_a_blocker()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E5());

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        Assert.False(report.IsEligible);
        Assert.Equal(FindingSeverity.Blocker, Find(report, FindingCodes.NoE4Subscription)!.Severity);
    }

    [Theory]
    [InlineData("Warning", FindingSeverity.Warning)]
    [InlineData("Suspended", FindingSeverity.Blocker)]
    [InlineData("LockedOut", FindingSeverity.Blocker)]
    [InlineData("Deleted", FindingSeverity.Blocker)]
    public async Task E4_not_active(string status, FindingSeverity severity)
    {
        var tenant = Tenant();
        tenant.Skus[0].CapabilityStatus = status;

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        var finding = Find(report, FindingCodes.E4NotActive)!;
        Assert.Equal(severity, finding.Severity);
        Assert.Contains(status, finding.Message);
        Assert.Equal(severity == FindingSeverity.Warning, report.IsEligible);
    }

    [Fact]
    public async Task Target_not_in_the_tenant_is_a_blocker()
    {
        var report = await new EligibilityChecker(Tenant()).CheckAsync("SPE_E5", CancellationToken.None);

        Assert.False(report.IsEligible);
        Assert.Equal(FindingSeverity.Blocker, Find(report, FindingCodes.TargetNotFound)!.Severity);
        Assert.False(report.TargetAvailable);
    }

    [Theory]
    [InlineData("Suspended")]
    [InlineData("LockedOut")]
    [InlineData("Deleted")]
    public async Task Target_not_active_is_a_blocker(string status)
    {
        var report = await new EligibilityChecker(Tenant(TestSkus.E5(status: status))).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        var finding = Find(report, FindingCodes.TargetNotActive)!;
        Assert.Equal(FindingSeverity.Blocker, finding.Severity);
        Assert.Contains(status, finding.Message);
        Assert.False(report.IsEligible);
    }

    [Fact]
    public async Task Target_in_its_grace_period_is_a_warning()
    {
        var report = await new EligibilityChecker(Tenant(TestSkus.E5(status: "Warning"))).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        var finding = Find(report, FindingCodes.TargetNotActive)!;
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Contains("grace period", finding.Message);
        Assert.True(report.IsEligible);
        Assert.True(report.TargetAvailable);
    }

    [Theory]
    [InlineData("EXCHANGE_S_ENTERPRISE")]
    [InlineData("TEAMS1")]
    [InlineData("OFFICESUBSCRIPTION")]
    [InlineData("SHAREPOINTENTERPRISE")]
    public async Task A_core_service_still_provisioning_is_a_blocker(string plan)
    {
        var target = TestSkus.E5();
        target.ServicePlans.First(p => p.ServicePlanName == plan).ProvisioningStatus = "PendingProvisioning";

        var report = await new EligibilityChecker(Tenant(target)).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        var finding = Find(report, FindingCodes.TargetNotActive)!;
        Assert.Equal(FindingSeverity.Blocker, finding.Severity);
        Assert.Contains("core services still provisioning", finding.Message);
        Assert.Contains(plan + " PendingProvisioning", finding.Message);
        Assert.False(report.TargetAvailable);
    }

    [Fact]
    public async Task Another_plan_still_provisioning_is_a_warning()
    {
        var target = TestSkus.E5();
        target.ServicePlans.First(p => p.ServicePlanName == "SWAY").ProvisioningStatus = "PendingProvisioning";

        var report = await new EligibilityChecker(Tenant(target)).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        var finding = Find(report, FindingCodes.TargetNotActive)!;
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Contains("SWAY PendingProvisioning", finding.Message);
        Assert.True(report.IsEligible);
    }

    [Theory]
    [InlineData("PendingActivation")]
    [InlineData("PendingInput")]
    public async Task Plans_an_admin_activates_are_a_warning_never_a_blocker(string provisioning)
    {
        // INTUNE_O365 stays PendingActivation in most real tenants (graph-licensing.md section 10).
        var target = TestSkus.E5();
        target.ServicePlans = target.ServicePlans
            .Append(new ServicePlan { ServicePlanId = new Guid("882e1d05-acd1-4ccb-8708-6ee03664b117"), ServicePlanName = "INTUNE_O365", ProvisioningStatus = provisioning })
            .ToList();
        target.ServicePlans.First(p => p.ServicePlanName == "EXCHANGE_S_ENTERPRISE").ProvisioningStatus = provisioning;

        var report = await new EligibilityChecker(Tenant(target)).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        Assert.Null(Find(report, FindingCodes.TargetNotActive));
        var finding = Find(report, FindingCodes.PlansNeedActivation)!;
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal(new[] { "EXCHANGE_S_ENTERPRISE", "INTUNE_O365" }, finding.Plans.OrderBy(p => p));
        Assert.Contains("INTUNE_O365 (ENTERPRISEPREMIUM, " + provisioning + ")", finding.Message);
        Assert.True(report.IsEligible);
        Assert.True(report.TargetAvailable);
    }

    [Fact]
    public async Task Trial_target_is_a_warning()
    {
        var tenant = Tenant();
        tenant.Subscriptions.Single(s => s.Id == "sub-e5").IsTrial = true;

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        Assert.Equal(FindingSeverity.Warning, Find(report, FindingCodes.TargetIsTrial)!.Severity);
        Assert.True(report.IsEligible);
    }

    [Fact]
    public async Task Seats_count_direct_and_group_holders_once_and_skip_those_holding_the_target()
    {
        var tenant = Tenant(TestSkus.E5(enabled: 3), e4Users: 2);
        var both = tenant.AddUser("both@contoso.com", TestSkus.E4Id); // direct and through the group: one seat
        var groupOnly = tenant.AddUser("grouponly@contoso.com");
        tenant.AddGroup("E4 group", TestSkus.E4Id, new[] { both, groupOnly });
        tenant.AddUser("hastarget@contoso.com", TestSkus.E4Id, TestSkus.E5Id); // already holds E5: no new seat, uses one

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        Assert.Equal(5, report.TotalE4Users);
        Assert.Equal(4, report.UsersNeedingTargetSeat);
        Assert.Equal(2, report.TargetFreeSeats);
        var finding = Find(report, FindingCodes.InsufficientTargetSeats)!;
        Assert.Equal(FindingSeverity.Blocker, finding.Severity);
        Assert.Equal(4, finding.AffectedCount);
        Assert.Contains("add at least 2 ENTERPRISEPREMIUM seats", finding.Message);
        Assert.Equal(new[] { "ENTERPRISEPREMIUM" }, finding.Skus);
    }

    [Fact]
    public async Task Enough_seats_is_no_finding()
    {
        var report = await new EligibilityChecker(Tenant(TestSkus.E5(enabled: 3))).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        Assert.Null(Find(report, FindingCodes.InsufficientTargetSeats));
    }

    [Fact]
    public async Task Direct_users_without_usage_location_block_and_are_listed_capped()
    {
        var tenant = Tenant(e4Users: 0);
        for (var i = 0; i < 150; i++) tenant.AddUser($"nolocation{i}@contoso.com", TestSkus.E4Id).UsageLocation = null;
        var inheritedOnly = tenant.AddUser("groupnoloc@contoso.com");
        inheritedOnly.UsageLocation = null;
        tenant.AddGroup("E4 group", TestSkus.E4Id, new[] { inheritedOnly });

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        var finding = Find(report, FindingCodes.UsageLocationMissing)!;
        Assert.Equal(FindingSeverity.Blocker, finding.Severity);
        Assert.Equal(150, finding.AffectedCount);
        Assert.Equal(EligibilityFinding.MaxListed, finding.AffectedUsers.Count);
        Assert.Contains("nolocation0@contoso.com", finding.AffectedUsers);
        Assert.DoesNotContain("groupnoloc@contoso.com", finding.AffectedUsers);
        Assert.Contains("150 users", finding.Message);
        Assert.Contains("inherit the tenant's location", finding.Message);
    }

    [Fact]
    public async Task Usage_location_given_for_the_run_turns_the_blocker_into_a_warning()
    {
        var tenant = Tenant();
        tenant.AddUser("nolocation@contoso.com", TestSkus.E4Id).UsageLocation = null;

        var report = await new EligibilityChecker(tenant).CheckAsync(
            new EligibilityRequest { TargetSku = "ENTERPRISEPREMIUM", UsageLocation = "DE" }, CancellationToken.None);

        Assert.Equal(FindingSeverity.Warning, Find(report, FindingCodes.UsageLocationMissing)!.Severity);
        Assert.True(report.IsEligible);
    }

    [Fact]
    public async Task Groups_assigning_E4_are_named()
    {
        var tenant = Tenant();
        var group = tenant.AddGroup("Sales E4", TestSkus.E4Id, new[] { tenant.AddUser("s1@contoso.com") });

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        var finding = Find(report, FindingCodes.E4AssignedByGroup)!;
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal(new[] { $"Sales E4 ({group.Id})" }, finding.AffectedGroups);
        Assert.Equal(1, finding.AffectedCount);
    }

    [Fact]
    public async Task Disabled_plans_without_counterpart_name_users_and_groups()
    {
        var tenant = Tenant(TestSkus.E3(), e4Users: 0);
        tenant.AddUser("novoice@contoso.com", TestSkus.E4Id).Direct[TestSkus.E4Id].Add(TestSkus.Plan("MCOVOICECONF"));
        tenant.AddUser("noforms@contoso.com", TestSkus.E4Id).Direct[TestSkus.E4Id].Add(TestSkus.Plan("FORMS_PLAN_E3"));
        tenant.AddGroup("Voice off", TestSkus.E4Id, new[] { tenant.AddUser("m@contoso.com") }, TestSkus.Plan("MCOVOICECONF"));

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPACK", CancellationToken.None);

        var finding = Find(report, FindingCodes.DisabledPlansWithoutCounterpart)!;
        Assert.Equal(new[] { "novoice@contoso.com" }, finding.AffectedUsers);
        Assert.Single(finding.AffectedGroups);
        Assert.Contains("MCOVOICECONF", finding.Message);
    }

    [Fact]
    public async Task Disabled_plans_mapped_by_tier_are_no_finding()
    {
        var tenant = Tenant(e4Users: 0);
        tenant.AddUser("noforms@contoso.com", TestSkus.E4Id).Direct[TestSkus.E4Id].Add(TestSkus.Plan("FORMS_PLAN_E3"));

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        Assert.Null(Find(report, FindingCodes.DisabledPlansWithoutCounterpart));
    }

    [Fact]
    public async Task E3_target_loses_voice_conferencing_as_a_feature_and_names_the_sku_that_supplies_it()
    {
        var tenant = Tenant(TestSkus.E3());
        tenant.Skus.Add(TodaysSkus.TeamsPhone(10));
        tenant.AddUser("novoice@contoso.com", TestSkus.E4Id).Direct[TestSkus.E4Id].Add(TestSkus.Plan("MCOVOICECONF"));

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPACK", CancellationToken.None);

        var finding = Find(report, FindingCodes.FeatureLoss)!;
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal(new[] { "MCOVOICECONF" }, finding.Plans);
        Assert.Equal(new[] { "MCOEV" }, finding.Skus);
        Assert.Equal(3, finding.AffectedCount); // the user with voice disabled on E4 loses nothing
        Assert.Contains("voice and audio conferencing", finding.Message);
        Assert.Contains("add MCOEV", finding.Message);
        Assert.Null(Find(report, FindingCodes.ServiceLoss));
        Assert.True(report.IsEligible);
    }

    [Fact]
    public async Task Target_with_lower_core_services_is_a_service_loss_blocker()
    {
        var report = await new EligibilityChecker(Tenant(TestSkus.E1())).CheckAsync("STANDARDPACK", CancellationToken.None);

        var finding = Find(report, FindingCodes.ServiceLoss)!;
        Assert.Equal(FindingSeverity.Blocker, finding.Severity);
        // Microsoft's E1 (STANDARDPACK) has Office for the web (SHAREPOINTWAC) but only the lower Exchange and SharePoint plans and no desktop apps.
        Assert.Equal(new[] { "EXCHANGE_S_ENTERPRISE", "OFFICESUBSCRIPTION", "SHAREPOINTENTERPRISE" }, finding.Plans.OrderBy(p => p, StringComparer.Ordinal));
        Assert.Contains("Exchange Online: EXCHANGE_S_ENTERPRISE", finding.Message);
        Assert.Contains("the tenant holds no SKU that supplies it", finding.Message);
        Assert.Equal(3, finding.AffectedCount);
        Assert.Contains("STREAM_O365_E3", Find(report, FindingCodes.FeatureLoss)!.Plans);
        Assert.False(report.IsEligible);
    }

    [Fact]
    public async Task More_than_one_E4_subscription_is_a_warning()
    {
        var tenant = Tenant();
        tenant.Skus[0].SubscriptionIds = new[] { "sub-e4", "sub-e4-b" };
        tenant.Subscriptions.Add(new SubscriptionInfo { Id = "sub-e4-b", SkuId = TestSkus.E4Id, Status = "Enabled", TotalLicenses = 10 });

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        var finding = Find(report, FindingCodes.MultipleE4Subscriptions)!;
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Contains("sub-e4-b", finding.Message);
        Assert.True(report.IsEligible);
    }

    [Fact]
    public async Task One_E4_subscription_named_by_its_commerce_id_in_the_sku_counts_once()
    {
        var tenant = Tenant();
        var subscription = tenant.Subscriptions.Single(s => s.Id == "sub-e4");
        subscription.CommerceSubscriptionId = "commerce-e4";
        tenant.Skus[0].SubscriptionIds = new[] { "commerce-e4" };

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);
        var summary = (await new SubscriptionInventory(tenant).GetAsync(null, CancellationToken.None)).Single(s => s.Role == SubscriptionRole.Source);

        Assert.Null(Find(report, FindingCodes.MultipleE4Subscriptions));
        Assert.Equal("sub-e4", summary.SubscriptionIds);
    }

    [Theory]
    [InlineData("ENTERPRISEWITHSCAL")]
    [InlineData("1392051d-0cb9-4b7a-88d5-621fee5e8711")]
    [InlineData("ENTERPRISEWITHSCAL_FACULTY")]
    public async Task Target_same_as_source_is_a_blocker(string target)
    {
        var tenant = Tenant();
        tenant.Skus.Add(TestSkus.Sku(TestSkus.FacultyId, "ENTERPRISEWITHSCAL_FACULTY", 10, "Enabled", TestSkus.E4Plans));

        var report = await new EligibilityChecker(tenant).CheckAsync(target, CancellationToken.None);

        Assert.Equal(FindingSeverity.Blocker, Find(report, FindingCodes.TargetSameAsSource)!.Severity);
        Assert.Null(Find(report, FindingCodes.InsufficientTargetSeats));
        Assert.False(report.IsEligible);
    }

    [Fact]
    public async Task E4_variant_is_found_by_sku_id_when_the_part_number_differs()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.Sku(TestSkus.E4Id, "SOMETHING_ELSE", 10, "Enabled", TestSkus.E4Plans));
        tenant.Skus.Add(TestSkus.E5());
        tenant.AddUser("a@contoso.com", TestSkus.E4Id);

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        Assert.Null(Find(report, FindingCodes.NoE4Subscription));
        Assert.Equal(1, report.DirectE4Users);
    }

    // The time it takes is measured by the benchmark; here: one listing, no per-user reads, right counts.
    [Fact]
    public async Task A_100000_user_tenant_is_checked_with_one_listing()
    {
        var gateway = new GeneratedTenant(100_000);

        var report = await new EligibilityChecker(gateway).CheckAsync("ENTERPRISEPACK", CancellationToken.None);

        Assert.Equal(1, gateway.UserListings);
        Assert.Equal(100_000, report.TotalE4Users);
        Assert.Equal(10_000, Find(report, FindingCodes.UsageLocationMissing)!.AffectedCount);
        Assert.Equal(20_000, Find(report, FindingCodes.DisabledPlansWithoutCounterpart)!.AffectedCount);
        Assert.Equal(EligibilityFinding.MaxListed, Find(report, FindingCodes.DisabledPlansWithoutCounterpart)!.AffectedUsers.Count);
    }

    /// <summary>Generates users on the fly, so the test measures the checker and not the fake.</summary>
    private sealed class GeneratedTenant : ILicensingGateway
    {
        private readonly int _users;
        public GeneratedTenant(int users) => _users = users;
        public int UserListings { get; private set; }

        public Task<IReadOnlyList<SkuInfo>> GetSubscribedSkusAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<SkuInfo>>(new[] { TestSkus.E4(200_000), TestSkus.E3(200_000) });

        public Task<IReadOnlyList<SubscriptionInfo>> GetSubscriptionsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<SubscriptionInfo>>(Array.Empty<SubscriptionInfo>());

        public async IAsyncEnumerable<UserLicenses> ListUsersWithSkuAsync(Guid skuId, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            UserListings++;
            var voiceOff = new[] { TestSkus.Plan("MCOVOICECONF"), TestSkus.Plan("SWAY") };
            for (var i = 0; i < _users; i++)
            {
                var disabled = i % 5 == 0 ? voiceOff : Array.Empty<Guid>();
                yield return new UserLicenses
                {
                    Id = i.ToString(),
                    UserPrincipalName = $"user{i}@contoso.com",
                    UsageLocation = i % 10 == 1 ? null : "US",
                    AssignedLicenses = new[] { new AssignedSku(TestSkus.E4Id, disabled) },
                    AssignmentStates = new[] { new LicenseAssignment { SkuId = TestSkus.E4Id, State = "Active", DisabledPlans = disabled } },
                };
            }

            await Task.CompletedTask;
        }

        public async IAsyncEnumerable<GroupLicenses> ListGroupsWithSkuAsync(Guid skuId, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield break;
        }

        public Task<GroupLicenses?> GetGroupAsync(string groupId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public IAsyncEnumerable<UserLicenses> ListGroupMembersAsync(string groupId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<UserLookup>> GetUsersAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) => throw new NotSupportedException("no per-user reads");
        public Task<IReadOnlyList<WriteOutcome>> SendWritesAsync(IReadOnlyList<WriteRequest> writes, CancellationToken cancellationToken) => throw new NotSupportedException("reads only");
        public Task<WriteOutcome> AssignGroupLicenseAsync(string groupId, LicenseChange change, CancellationToken cancellationToken) => throw new NotSupportedException("reads only");
    }
}
