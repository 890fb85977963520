using Xunit;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Tests.Licensing;

/// <summary>The per-SKU mapping, through the compound mapper every caller uses (a single target is a compound of one).</summary>
public class DisabledPlanMapperTests
{
    private static CompoundPlanMapper Mapper(SkuInfo target) =>
        new(CatalogSkus.Get(CatalogSkus.E4), new CompoundTarget(new[] { target }), new PlanDependencies());

    private static CompoundPlanMapper Mapper(string target) => Mapper(CatalogSkus.Get(target));

    private static readonly string[] E4PlansThatAreRenamedInE5 = { "BPOS_S_TODO_2", "FLOW_O365_P2", "FORMS_PLAN_E3", "POWERAPPS_O365_P2", "STREAM_O365_E3" };

    public static TheoryData<string> Targets => new(CatalogSkus.Targets);

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_E4_plan_maps_into_the_target_or_is_reported_dropped(string target)
    {
        var source = CatalogSkus.Get(CatalogSkus.E4);
        var targetSku = CatalogSkus.Get(target);
        var mapper = Mapper(targetSku);

        var mapping = mapper.Map(source.ServicePlans.Select(p => p.ServicePlanId).ToList());

        var sent = mapping.DisabledPlansOf(targetSku.SkuId);
        Assert.Equal(new[] { "MCOVOICECONF" }, mapping.DroppedPlanNames);
        Assert.Equal(16, sent.Count - mapping.AdjustedPlans.Count); // the rest follow their disabled base (PlanDependencies)
        Assert.All(sent, id => Assert.Contains(targetSku.ServicePlans, p => p.ServicePlanId == id));
        Assert.Equal(17, mapping.SourceDisabledPlanNames.Count);
        Assert.Equal(sent.Count, mapping.TargetDisabledPlanNames.Count);
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
        var mapping = Mapper(target).Map(new[] { CatalogSkus.PlanId(CatalogSkus.E4, sourcePlan) });

        // Mapped plans come first; plans that depend on them follow (Exchange takes Defender for Office 365 with it).
        Assert.Equal(CatalogSkus.PlanId(target, expected), mapping.Adds.Single().DisabledPlans[0]);
        Assert.Equal(expected, mapping.TargetDisabledPlanNames[0]);
        Assert.Equal(mapping.TargetDisabledPlanNames.Count - 1, mapping.AdjustedPlans.Count);
        Assert.Equal(new[] { sourcePlan }, mapping.SourceDisabledPlanNames);
        Assert.Empty(mapping.DroppedPlanNames);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Renamed_plans_keep_their_id_where_the_target_has_it(string target)
    {
        var mapper = Mapper(target);
        var isE5 = target is CatalogSkus.O365E5 or CatalogSkus.M365E5;

        var mapping = mapper.Map(E4PlansThatAreRenamedInE5.Select(n => CatalogSkus.PlanId(CatalogSkus.E4, n)).ToList());

        var names = mapping.TargetDisabledPlanNames.OrderBy(n => n).ToList();
        Assert.Equal(isE5 ? new[] { "BPOS_S_TODO_3", "FLOW_O365_P3", "FORMS_PLAN_E5", "POWERAPPS_O365_P3", "STREAM_O365_E5" } : E4PlansThatAreRenamedInE5.OrderBy(n => n).ToArray(), names);
    }

    [Fact]
    public void A_disabled_plan_id_unknown_to_both_skus_is_dropped_never_sent()
    {
        var stranger = Guid.NewGuid();

        var mapping = Mapper(CatalogSkus.O365E3).Map(new[] { stranger });

        Assert.Empty(mapping.Adds.Single().DisabledPlans);
        Assert.Equal(new[] { stranger.ToString() }, mapping.DroppedPlanNames);
    }

    [Fact]
    public void Duplicates_are_sent_once()
    {
        var sway = CatalogSkus.PlanId(CatalogSkus.E4, "SWAY");

        Assert.Single(Mapper(CatalogSkus.O365E3).Map(new[] { sway, sway }).Adds.Single().DisabledPlans);
    }

    [Fact]
    public void Override_takes_target_plan_names_in_any_case_or_ids()
    {
        var mapper = Mapper(CatalogSkus.M365E5);
        var mcoev = CatalogSkus.PlanId(CatalogSkus.M365E5, "MCOEV");

        var mapping = mapper.Override(new[] { "forms_plan_e5", mcoev.ToString(), " MCOEV " });

        Assert.Equal(new[] { CatalogSkus.PlanId(CatalogSkus.M365E5, "FORMS_PLAN_E5"), mcoev }, mapping.Adds.Single().DisabledPlans);
        Assert.Equal(new[] { "FORMS_PLAN_E5", "MCOEV" }, mapping.TargetDisabledPlanNames);
    }

    [Theory]
    [InlineData("FORMS_PLAN_E3")]
    [InlineData("MCOVOICECONF")]
    [InlineData("27216c54-caf8-4d0d-97e2-517afb5c08f6")]
    [InlineData("")]
    public void Override_with_a_plan_the_target_lacks_is_InvalidDisabledPlan(string plan)
    {
        var error = Assert.Throws<E4UpgradeException>(() => Mapper(CatalogSkus.M365E5).Override(new[] { plan }));

        Assert.Equal(ErrorIds.InvalidDisabledPlan, error.ErrorId);
        Assert.Contains("SPE_E5", error.Message);
    }

    [Fact]
    public void Merging_with_a_held_target_keeps_every_service_the_user_has_today()
    {
        var e5 = CatalogSkus.Get(CatalogSkus.O365E5);
        Guid E4(string n) => CatalogSkus.PlanId(CatalogSkus.E4, n);
        Guid E5(string n) => CatalogSkus.PlanId(CatalogSkus.O365E5, n);

        var mapping = Mapper(e5).Merge(
            new[] { E4("FORMS_PLAN_E3"), E4("SWAY"), E4("MCOVOICECONF") },
            new Dictionary<Guid, IReadOnlyList<Guid>> { [e5.SkuId] = new[] { E5("FORMS_PLAN_E5"), E5("TEAMS1"), E5("MCOEV"), E5("EXCHANGE_ANALYTICS") } });

        // Off on both sides: FORMS. Only in E5 and off there: MCOEV, EXCHANGE_ANALYTICS. TEAMS1 is on through E4: enabled.
        Assert.Equal(new[] { "EXCHANGE_ANALYTICS", "FORMS_PLAN_E5", "MCOEV" }, mapping.TargetDisabledPlanNames.OrderBy(n => n));
        Assert.Equal(new[] { "MCOVOICECONF" }, mapping.DroppedPlanNames);
    }
}
