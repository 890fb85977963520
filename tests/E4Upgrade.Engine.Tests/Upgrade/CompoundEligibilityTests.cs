using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>Eligibility with today's targets: a no-Teams suite, Teams Enterprise as an add-on, redundant add-ons, plan dependencies.</summary>
public class CompoundEligibilityTests
{
    private static FakeTenant Tenant(int e4Users = 3, int teamsSeats = 1000)
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4());
        tenant.Skus.Add(TodaysSkus.E5NoTeams());
        tenant.Skus.Add(TodaysSkus.TeamsEnterprise(teamsSeats));
        tenant.Skus.Add(TodaysSkus.AudioConferencing());
        for (var i = 0; i < e4Users; i++) tenant.AddUser($"user{i}@contoso.com", TestSkus.E4Id);
        return tenant;
    }

    private static EligibilityFinding? Find(EligibilityReport report, string code) => report.Findings.SingleOrDefault(f => f.Code == code);

    private static Task<EligibilityReport> Check(FakeTenant tenant, params string[] target) =>
        new EligibilityChecker(tenant).CheckAsync(new EligibilityRequest { TargetSkus = target }, CancellationToken.None);

    [Fact]
    public async Task The_suite_alone_loses_Teams_a_ServiceLoss_blocker_naming_TEAMS1_and_the_sku_that_supplies_it()
    {
        var tenant = Tenant();
        tenant.AddUser("noteams@contoso.com", TestSkus.E4Id).Direct[TestSkus.E4Id].Add(TestSkus.Plan("TEAMS1"));

        var report = await Check(tenant, "Microsoft_365_E5_(no_Teams)");

        var finding = Find(report, FindingCodes.ServiceLoss)!;
        Assert.Equal(FindingSeverity.Blocker, finding.Severity);
        Assert.Equal(new[] { "TEAMS1" }, finding.Plans);
        Assert.Equal(new[] { "Microsoft_Teams_Enterprise_New" }, finding.Skus);
        Assert.Equal(3, finding.AffectedCount); // the user with Teams disabled on E4 loses nothing
        Assert.Contains("add Microsoft_Teams_Enterprise_New", finding.Message);
        Assert.Contains("-TargetSku 'Microsoft_365_E5_(no_Teams)',Microsoft_Teams_Enterprise_New", finding.Message);
        Assert.False(report.IsEligible);
    }

    [Fact]
    public async Task Another_suite_is_never_suggested_as_the_sku_that_supplies_a_plan()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4());
        tenant.Skus.Add(TestSkus.E3());
        tenant.Skus.Add(TestSkus.E5()); // has MCOEV and MCOMEETADV, but repeats Exchange, SharePoint, Teams, Office
        tenant.AddUser("u@contoso.com", TestSkus.E4Id);

        var report = await Check(tenant, "ENTERPRISEPACK");

        var finding = Find(report, FindingCodes.FeatureLoss)!;
        Assert.Empty(finding.Skus);
        Assert.Contains("the tenant holds no SKU that supplies it", finding.Message);
    }

    [Fact]
    public async Task Suite_and_Teams_Enterprise_keep_every_service()
    {
        var report = await Check(Tenant(), "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise_New");

        Assert.True(report.IsEligible, string.Join(" | ", report.Findings));
        Assert.Null(Find(report, FindingCodes.ServiceLoss));
        Assert.Null(Find(report, FindingCodes.FeatureLoss));
        Assert.Equal("Microsoft_365_E5_(no_Teams) + Microsoft_Teams_Enterprise_New", report.TargetSku);
        Assert.Equal(new[] { "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise_New" }, report.TargetSkus);
        Assert.Equal(TodaysSkus.E5NoTeamsId, report.TargetSkuId);
        Assert.Equal(new[] { 3, 3 }, report.TargetSeats.Select(s => s.Needed));
    }

    [Fact]
    public async Task Seats_are_checked_per_sku_and_the_short_one_is_named()
    {
        var report = await Check(Tenant(e4Users: 3, teamsSeats: 2), "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise_New");

        var finding = Find(report, FindingCodes.InsufficientTargetSeats)!;
        Assert.Equal(new[] { "Microsoft_Teams_Enterprise_New" }, finding.Skus);
        Assert.Contains("only 2 Microsoft_Teams_Enterprise_New seats are free", finding.Message);
        Assert.DoesNotContain("Microsoft_365_E5_(no_Teams) seats", finding.Message);
    }

    [Fact]
    public async Task A_target_sku_the_tenant_lacks_is_TargetNotFound_naming_it()
    {
        var report = await Check(Tenant(), "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Premium");

        var finding = Find(report, FindingCodes.TargetNotFound)!;
        Assert.Contains("'Microsoft_Teams_Premium'", finding.Message);
        Assert.DoesNotContain("'Microsoft_365_E5_(no_Teams)'", finding.Message);
    }

    [Fact]
    public async Task Redundant_add_ons_are_reported_with_users_and_seats_freed_except_where_a_plan_is_disabled_for_the_user()
    {
        var tenant = Tenant(e4Users: 0);
        tenant.AddUser("conf1@contoso.com", TestSkus.E4Id, TodaysSkus.AudioConferencingId);
        tenant.AddUser("conf2@contoso.com", TestSkus.E4Id, TodaysSkus.AudioConferencingId);
        // Teams and Skype off on E4: the target's MCOMEETADV is disabled for this user (it needs one of them), so the add-on stays.
        var noTeams = tenant.AddUser("noteams@contoso.com", TestSkus.E4Id, TodaysSkus.AudioConferencingId).Direct[TestSkus.E4Id];
        noTeams.Add(TestSkus.Plan("TEAMS1"));
        noTeams.Add(TestSkus.Plan("MCOSTANDARD"));

        var report = await Check(tenant, "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise_New");

        var finding = Find(report, FindingCodes.RedundantAddOns)!;
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal(new[] { "MCOMEETADV" }, finding.Skus);
        Assert.Equal(new[] { "conf1@contoso.com", "conf2@contoso.com" }, finding.AffectedUsers.OrderBy(u => u));
        Assert.Equal(2, finding.AffectedCount);
        Assert.Contains("2 seats freed", finding.Message);
        Assert.Contains("1 more keep it", finding.Message);
    }

    [Fact]
    public async Task Teams_and_Skype_disabled_disable_the_plans_that_need_one_of_them_PlanDependencyAdjusted()
    {
        var tenant = Tenant(e4Users: 2);
        var noTeams = tenant.AddUser("noteams@contoso.com", TestSkus.E4Id).Direct[TestSkus.E4Id];
        noTeams.Add(TestSkus.Plan("TEAMS1"));
        noTeams.Add(TestSkus.Plan("MCOSTANDARD"));
        // Teams off but Skype for Business on: Teams Phone and Audio Conferencing keep a base, nothing is adjusted.
        tenant.AddUser("skypeonly@contoso.com", TestSkus.E4Id).Direct[TestSkus.E4Id].Add(TestSkus.Plan("TEAMS1"));
        var member = tenant.AddUser("member@contoso.com");
        var group = tenant.AddGroup("No Teams", TestSkus.E4Id, new[] { member }, TestSkus.Plan("TEAMS1"), TestSkus.Plan("MCOSTANDARD"));

        var report = await Check(tenant, "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise_New");

        var finding = Find(report, FindingCodes.PlanDependencyAdjusted)!;
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal(new[] { "MCOEV", "MCOMEETADV" }, finding.Plans);
        Assert.Equal(new[] { "noteams@contoso.com" }, finding.AffectedUsers);
        Assert.Equal(new[] { $"No Teams ({group.Id})" }, finding.AffectedGroups);
        Assert.Equal(1, finding.AffectedCount);
    }

    [Fact]
    public async Task The_expected_duration_follows_the_write_quota_and_groups_are_an_estimate()
    {
        var tenant = Tenant(e4Users: 10);
        tenant.AddUser("nolocation@contoso.com", TestSkus.E4Id).UsageLocation = null;
        tenant.AddGroup("G", TestSkus.E4Id, new[] { tenant.AddUser("m1@contoso.com"), tenant.AddUser("m2@contoso.com") });

        var report = await Check(tenant, "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise_New");

        Assert.Equal(UpgradeDurationEstimate.For(11, 1, 2).DirectUsers, report.ExpectedDuration);
        Assert.True(report.GroupProcessingEstimate > TimeSpan.Zero);
        Assert.Contains("12 writes", report.DurationEstimate);
        Assert.Contains("estimate up to", report.DurationEstimate);
    }
}
