using Xunit;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Tests.Licensing;

public class DisabledPlanMapperTests
{
    private static readonly string[] E4PlansThatAreRenamedInE5 = { "BPOS_S_TODO_2", "FLOW_O365_P2", "FORMS_PLAN_E3", "POWERAPPS_O365_P2", "STREAM_O365_E3" };

    public static TheoryData<string> Targets => new(CatalogSkus.Targets);

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_E4_plan_maps_into_the_target_or_is_reported_dropped(string target)
    {
        var source = CatalogSkus.Get(CatalogSkus.E4);
        var targetSku = CatalogSkus.Get(target);
        var mapper = new DisabledPlanMapper(source, targetSku);

        var mapping = mapper.Map(source.ServicePlans.Select(p => p.ServicePlanId).ToList());

        Assert.Equal(new[] { "MCOVOICECONF" }, mapping.DroppedPlanNames);
        Assert.Equal(16, mapping.TargetDisabledPlans.Count);
        Assert.All(mapping.TargetDisabledPlans, id => Assert.Contains(targetSku.ServicePlans, p => p.ServicePlanId == id));
        Assert.Equal(17, mapping.SourceDisabledPlanNames.Count);
        Assert.Equal(mapping.TargetDisabledPlans.Count, mapping.TargetDisabledPlanNames.Count);
    }

    [Theory]
    [InlineData(CatalogSkus.O365E5, "FORMS_PLAN_E3", "FORMS_PLAN_E5")]
    [InlineData(CatalogSkus.M365E5, "FORMS_PLAN_E3", "FORMS_PLAN_E5")]
    [InlineData(CatalogSkus.O365E5, "BPOS_S_TODO_2", "BPOS_S_TODO_3")]
    [InlineData(CatalogSkus.M365E5, "FLOW_O365_P2", "FLOW_O365_P3")]
    [InlineData(CatalogSkus.O365E5, "POWERAPPS_O365_P2", "POWERAPPS_O365_P3")]
    [InlineData(CatalogSkus.M365E5, "STREAM_O365_E3", "STREAM_O365_E5")]
    [InlineData(CatalogSkus.O365E3, "FORMS_PLAN_E3", "FORMS_PLAN_E3")]
    [InlineData(CatalogSkus.M365E3, "STREAM_O365_E3", "STREAM_O365_E3")]
    [InlineData(CatalogSkus.M365E5, "EXCHANGE_S_ENTERPRISE", "EXCHANGE_S_ENTERPRISE")]
    public void Maps_a_disabled_plan_to_the_target_plan_of_the_same_service(string target, string sourcePlan, string expected)
    {
        var mapper = new DisabledPlanMapper(CatalogSkus.Get(CatalogSkus.E4), CatalogSkus.Get(target));

        var mapping = mapper.Map(new[] { CatalogSkus.PlanId(CatalogSkus.E4, sourcePlan) });

        Assert.Equal(new[] { CatalogSkus.PlanId(target, expected) }, mapping.TargetDisabledPlans);
        Assert.Equal(new[] { expected }, mapping.TargetDisabledPlanNames);
        Assert.Equal(new[] { sourcePlan }, mapping.SourceDisabledPlanNames);
        Assert.Empty(mapping.DroppedPlanNames);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Renamed_plans_keep_their_id_where_the_target_has_it(string target)
    {
        var mapper = new DisabledPlanMapper(CatalogSkus.Get(CatalogSkus.E4), CatalogSkus.Get(target));
        var isE5 = target is CatalogSkus.O365E5 or CatalogSkus.M365E5;

        var mapping = mapper.Map(E4PlansThatAreRenamedInE5.Select(n => CatalogSkus.PlanId(CatalogSkus.E4, n)).ToList());

        var names = mapping.TargetDisabledPlanNames.OrderBy(n => n).ToList();
        Assert.Equal(isE5 ? new[] { "BPOS_S_TODO_3", "FLOW_O365_P3", "FORMS_PLAN_E5", "POWERAPPS_O365_P3", "STREAM_O365_E5" } : E4PlansThatAreRenamedInE5.OrderBy(n => n).ToArray(), names);
    }

    [Fact]
    public void A_disabled_plan_id_unknown_to_both_skus_is_dropped_never_sent()
    {
        var mapper = new DisabledPlanMapper(CatalogSkus.Get(CatalogSkus.E4), CatalogSkus.Get(CatalogSkus.O365E3));
        var stranger = Guid.NewGuid();

        var mapping = mapper.Map(new[] { stranger });

        Assert.Empty(mapping.TargetDisabledPlans);
        Assert.Equal(new[] { stranger.ToString() }, mapping.DroppedPlanNames);
    }

    [Fact]
    public void Duplicates_are_sent_once()
    {
        var mapper = new DisabledPlanMapper(CatalogSkus.Get(CatalogSkus.E4), CatalogSkus.Get(CatalogSkus.O365E3));
        var sway = CatalogSkus.PlanId(CatalogSkus.E4, "SWAY");

        Assert.Single(mapper.Map(new[] { sway, sway }).TargetDisabledPlans);
    }

    [Fact]
    public void Override_takes_target_plan_names_in_any_case_or_ids()
    {
        var target = CatalogSkus.Get(CatalogSkus.M365E5);
        var mapper = new DisabledPlanMapper(CatalogSkus.Get(CatalogSkus.E4), target);
        var mcoev = CatalogSkus.PlanId(CatalogSkus.M365E5, "MCOEV");

        var mapping = mapper.Override(new[] { "forms_plan_e5", mcoev.ToString(), " MCOEV " });

        Assert.Equal(new[] { CatalogSkus.PlanId(CatalogSkus.M365E5, "FORMS_PLAN_E5"), mcoev }, mapping.TargetDisabledPlans);
        Assert.Equal(new[] { "FORMS_PLAN_E5", "MCOEV" }, mapping.TargetDisabledPlanNames);
    }

    [Theory]
    [InlineData("FORMS_PLAN_E3")]
    [InlineData("MCOVOICECONF")]
    [InlineData("27216c54-caf8-4d0d-97e2-517afb5c08f6")]
    [InlineData("")]
    public void Override_with_a_plan_the_target_lacks_is_InvalidDisabledPlan(string plan)
    {
        var mapper = new DisabledPlanMapper(CatalogSkus.Get(CatalogSkus.E4), CatalogSkus.Get(CatalogSkus.M365E5));

        var error = Assert.Throws<E4UpgradeException>(() => mapper.Override(new[] { plan }));

        Assert.Equal(ErrorIds.InvalidDisabledPlan, error.ErrorId);
        Assert.Contains("SPE_E5", error.Message);
    }

    [Fact]
    public void Merging_with_a_held_target_keeps_every_service_the_user_has_today()
    {
        var mapper = new DisabledPlanMapper(CatalogSkus.Get(CatalogSkus.E4), CatalogSkus.Get(CatalogSkus.O365E5));
        Guid E4(string n) => CatalogSkus.PlanId(CatalogSkus.E4, n);
        Guid E5(string n) => CatalogSkus.PlanId(CatalogSkus.O365E5, n);

        var mapping = mapper.Merge(
            new[] { E4("FORMS_PLAN_E3"), E4("SWAY"), E4("MCOVOICECONF") },
            new[] { E5("FORMS_PLAN_E5"), E5("TEAMS1"), E5("MCOEV"), E5("EXCHANGE_ANALYTICS") });

        // Off on both sides: FORMS. Only in E5 and off there: MCOEV, EXCHANGE_ANALYTICS. TEAMS1 is on through E4: enabled.
        Assert.Equal(new[] { "EXCHANGE_ANALYTICS", "FORMS_PLAN_E5", "MCOEV" }, mapping.TargetDisabledPlanNames.OrderBy(n => n));
        Assert.Equal(new[] { "MCOVOICECONF" }, mapping.DroppedPlanNames);
    }
}
