using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Tests.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Licensing;

public class CompoundPlanMapperTests
{
    private static readonly CompoundTarget Target = new(new[] { TodaysSkus.E5NoTeams(), TodaysSkus.TeamsEnterprise() });
    private static readonly CompoundPlanMapper Mapper = new(TestSkus.E4(), Target, new PlanDependencies());

    [Fact]
    public void Every_target_sku_is_added_suite_first_with_nothing_disabled_by_default()
    {
        var mapping = Mapper.Map(Array.Empty<Guid>());

        Assert.Equal(new[] { TodaysSkus.E5NoTeamsId, TodaysSkus.TeamsEnterpriseId }, mapping.Adds.Select(a => a.SkuId));
        Assert.All(mapping.Adds, a => Assert.Empty(a.DisabledPlans));
        Assert.Empty(mapping.AdjustedPlans);
    }

    [Fact]
    public void A_disabled_plan_lands_in_the_sku_that_has_its_counterpart_and_its_dependants_follow()
    {
        var mapping = Mapper.Map(new[] { TestSkus.Plan("TEAMS1"), TestSkus.Plan("MCOSTANDARD"), TestSkus.Plan("FORMS_PLAN_E3") });

        Assert.Equal(new[] { TodaysSkus.Teams1 }, mapping.DisabledPlansOf(TodaysSkus.TeamsEnterpriseId));
        var suite = mapping.DisabledPlansOf(TodaysSkus.E5NoTeamsId);
        Assert.Contains(CatalogSkus.PlanId(CatalogSkus.M365E5, "FORMS_PLAN_E5"), suite);
        Assert.Contains(TodaysSkus.McoEv, suite);
        Assert.Contains(TodaysSkus.McoMeetAdv, suite);
        Assert.Empty(mapping.DroppedPlanNames);
        Assert.Equal(new[] { "MCOEV", "MCOMEETADV" }, mapping.AdjustedPlans.Select(a => a.Plan).OrderBy(p => p));
        Assert.Contains("MCOEV (Microsoft_365_E5_(no_Teams)): needs TEAMS1 or MCOSTANDARD", mapping.AdjustedPlans.Select(a => a.ToString()).OrderBy(p => p).First());
    }

    [Fact]
    public void A_refusal_of_a_mapping_that_had_one_named_base_enabled_is_learnt_as_all_of()
    {
        var mapper = new CompoundPlanMapper(TestSkus.E4(), Target, new PlanDependencies());
        var teamsOff = new[] { TestSkus.Plan("TEAMS1") };
        var refused = mapper.Map(teamsOff);
        Assert.DoesNotContain(TodaysSkus.McoMeetAdv, refused.DisabledPlansOf(TodaysSkus.E5NoTeamsId)); // Skype still on: any-of holds

        Assert.True(mapper.LearnFromRefusal(TodaysSkus.McoMeetAdv, new[] { TodaysSkus.Teams1, TodaysSkus.McoStandard }, refused));

        var retry = mapper.Map(teamsOff);
        Assert.Contains(TodaysSkus.McoMeetAdv, retry.DisabledPlansOf(TodaysSkus.E5NoTeamsId));
        Assert.DoesNotContain(TodaysSkus.McoEv, retry.DisabledPlansOf(TodaysSkus.E5NoTeamsId));
        Assert.False(mapper.LearnFromRefusal(TodaysSkus.McoMeetAdv, new[] { TodaysSkus.Teams1, TodaysSkus.McoStandard }, retry));
    }

    [Fact]
    public void A_plan_with_no_counterpart_in_any_target_sku_is_dropped()
    {
        var e3Only = new CompoundPlanMapper(TestSkus.E4(), new CompoundTarget(new[] { TestSkus.E3() }), new PlanDependencies());

        Assert.Equal(new[] { "MCOVOICECONF" }, e3Only.Map(new[] { TestSkus.Plan("MCOVOICECONF") }).DroppedPlanNames);
    }

    [Fact]
    public void An_override_names_plans_of_any_target_sku_and_rejects_others()
    {
        var mapping = Mapper.Override(new[] { "TEAMS1", "MCOSTANDARD" });

        Assert.Equal(new[] { TodaysSkus.Teams1 }, mapping.DisabledPlansOf(TodaysSkus.TeamsEnterpriseId));
        Assert.Contains(TodaysSkus.McoMeetAdv, mapping.DisabledPlansOf(TodaysSkus.E5NoTeamsId));
        var error = Assert.Throws<E4UpgradeException>(() => Mapper.Override(new[] { "MCOVOICECONF" }));
        Assert.Equal(ErrorIds.InvalidDisabledPlan, error.ErrorId);
    }

    [Fact]
    public void Service_coverage_counts_a_higher_tier_and_a_functional_equivalent_but_not_a_lower_level()
    {
        var lost = ServiceCoverage.Lost(TestSkus.E4(), Target.Plans);

        Assert.Equal(new[] { "TEAMS1" }, ServiceCoverage.Lost(TestSkus.E4(), new[] { TodaysSkus.E5NoTeams() }.SelectMany(s => s.ServicePlans)).Select(p => p.PlanName));
        Assert.Empty(lost);
        var e1Lost = ServiceCoverage.Lost(TestSkus.E4(), TestSkus.E1().ServicePlans);
        Assert.Contains(e1Lost, p => p.PlanName == "EXCHANGE_S_ENTERPRISE" && p.CoreService == CoreServices.Exchange);
        Assert.Contains(e1Lost, p => p.PlanName == "MCOVOICECONF" && !p.IsCore);
    }

    [Fact]
    public void A_plan_that_applies_to_the_company_is_never_put_into_a_users_disabled_plans()
    {
        // Office 365 E5 without Audio Conferencing -> Office 365 E5: both carry ADALLOM_S_O365, which Graph shows with
        // appliesTo Company (Microsoft's subscribedSkus example). A user's disabled ADALLOM_S_O365 has the same id in the target.
        var source = CatalogSkus.Get("ENTERPRISEPREMIUM_NOPSTNCONF");
        var target = CatalogSkus.Get(CatalogSkus.O365E5);
        var adallom = target.ServicePlans.Single(p => p.ServicePlanName == "ADALLOM_S_O365");
        Assert.Equal("Company", adallom.AppliesTo);
        var mapper = new CompoundPlanMapper(source, new CompoundTarget(new[] { target }), new PlanDependencies());

        var mapped = mapper.Map(new[] { adallom.ServicePlanId, CatalogSkus.PlanId("ENTERPRISEPREMIUM_NOPSTNCONF", "SWAY") });
        var merged = mapper.Merge(new[] { adallom.ServicePlanId }, new Dictionary<Guid, IReadOnlyList<Guid>> { [target.SkuId] = new[] { adallom.ServicePlanId } });

        Assert.DoesNotContain(adallom.ServicePlanId, mapped.DisabledPlansOf(target.SkuId));
        Assert.Contains(CatalogSkus.PlanId(CatalogSkus.O365E5, "SWAY"), mapped.DisabledPlansOf(target.SkuId));
        Assert.DoesNotContain(adallom.ServicePlanId, merged.DisabledPlansOf(target.SkuId));
        var named = Assert.Throws<E4UpgradeException>(() => mapper.Override(new[] { "ADALLOM_S_O365" }));
        Assert.Equal(ErrorIds.InvalidDisabledPlan, named.ErrorId);
        Assert.Contains("whole organization", named.Message);
    }

    [Fact]
    public void A_plan_that_applies_to_the_company_is_never_a_plan_the_user_loses()
    {
        var source = CatalogSkus.Get(CatalogSkus.O365E5);
        Assert.DoesNotContain(ServiceCoverage.Lost(source, TestSkus.E3().ServicePlans), p => p.PlanName == "ADALLOM_S_O365");
    }
}
