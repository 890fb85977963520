using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Tests.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Licensing;

public class PlanDependenciesTests
{
    [Theory]
    [InlineData(DependencyKind.AnyOf, "A,B", "A,B", "B", false)]
    [InlineData(DependencyKind.AnyOf, "A,B", "A,B", "", true)]
    [InlineData(DependencyKind.AllOf, "A,B", "A,B", "B", true)]
    [InlineData(DependencyKind.AllOf, "A,B", "A,B", "A,B", false)]
    [InlineData(DependencyKind.AllOf, "A,B", "B", "B", false)] // A does not exist here: it cannot be asked for
    [InlineData(DependencyKind.AnyOf, "A,B", "", "", false)]
    public void One_reading_decides_whether_a_dependency_is_broken(DependencyKind kind, string requires, string exist, string enabled, bool broken)
    {
        static HashSet<string> Set(string names) => new(names.Split(',', StringSplitOptions.RemoveEmptyEntries));
        var existing = Set(exist);
        var on = Set(enabled);

        Assert.Equal(broken, PlanDependencies.IsBroken(kind, Set(requires), existing.Contains, on.Contains));
    }

    private static readonly SkuInfo Suite = TodaysSkus.E5NoTeams();
    private static readonly SkuInfo Teams = TodaysSkus.TeamsEnterprise();

    private static Dictionary<Guid, HashSet<Guid>> Disabled(params (Guid Sku, Guid Plan)[] plans)
    {
        var map = new Dictionary<Guid, HashSet<Guid>>();
        foreach (var (sku, plan) in plans)
        {
            if (!map.TryGetValue(sku, out var set)) map[sku] = set = new HashSet<Guid>();
            set.Add(plan);
        }

        return map;
    }

    [Fact]
    public void Every_known_rule_has_a_source()
    {
        Assert.All(PlanDependencies.Known, rule => Assert.False(string.IsNullOrWhiteSpace(rule.Source)));
    }

    private static Guid SuitePlan(string name) => Suite.ServicePlans.Single(p => p.ServicePlanName == name).ServicePlanId;

    [Fact]
    public void Teams_and_Skype_both_disabled_disable_the_suites_plans_that_need_one_of_them()
    {
        var disabled = Disabled((Teams.SkuId, TodaysSkus.Teams1), (Suite.SkuId, TodaysSkus.McoStandard));

        var adjusted = new PlanDependencies().Close(new[] { Suite, Teams }, disabled);

        Assert.Equal(new[] { "MCOEV", "MCOMEETADV" }, adjusted.Select(a => a.Plan).OrderBy(p => p));
        Assert.All(adjusted, a => Assert.Equal("Microsoft_365_E5_(no_Teams)", a.Sku));
        Assert.All(adjusted, a => Assert.Equal("needs TEAMS1 or MCOSTANDARD, which are disabled for this user", a.Reason));
        Assert.Contains(TodaysSkus.McoEv, disabled[Suite.SkuId]);
        Assert.Contains(TodaysSkus.McoMeetAdv, disabled[Suite.SkuId]);
    }

    [Theory]
    [InlineData("TEAMS1")]
    [InlineData("MCOSTANDARD")]
    public void One_of_Teams_and_Skype_enabled_keeps_Teams_Phone_and_Audio_Conferencing(string off)
    {
        // The admin center unchecks them only when both bases are unchecked (Cayosoft KB20191011-1): either is enough.
        var disabled = off == "TEAMS1" ? Disabled((Teams.SkuId, TodaysSkus.Teams1)) : Disabled((Suite.SkuId, TodaysSkus.McoStandard));

        Assert.Empty(new PlanDependencies().Close(new[] { Suite, Teams }, disabled));
        Assert.DoesNotContain(TodaysSkus.McoEv, disabled.GetValueOrDefault(Suite.SkuId) ?? new HashSet<Guid>());
    }

    [Fact]
    public void Every_sourced_rule_is_known_in_advance()
    {
        Assert.Equal(new[] { "ATP_ENTERPRISE", "MCOEV", "MCOMEETADV", "SHAREPOINTWAC", "SHAREPOINT_PROJECT", "THREAT_INTELLIGENCE", "WORKPLACE_ANALYTICS" },
            PlanDependencies.Known.Select(r => r.Plan).OrderBy(p => p, StringComparer.Ordinal));
        Assert.All(PlanDependencies.Known, rule => Assert.Equal(DependencyKind.AnyOf, rule.Kind));
    }

    [Fact]
    public void Exchange_disabled_disables_Defender_for_Office_365_without_a_refused_write()
    {
        var disabled = Disabled((Suite.SkuId, SuitePlan("EXCHANGE_S_ENTERPRISE")));

        var adjusted = new PlanDependencies().Close(new[] { Suite, Teams }, disabled);

        Assert.Equal(new[] { "ATP_ENTERPRISE", "THREAT_INTELLIGENCE" }, adjusted.Select(a => a.Plan).OrderBy(p => p, StringComparer.Ordinal));
        Assert.All(adjusted, a => Assert.Equal("needs EXCHANGE_S_ENTERPRISE, which is disabled for this user", a.Reason));
    }

    [Fact]
    public void SharePoint_disabled_disables_Office_for_the_web()
    {
        var disabled = Disabled((Suite.SkuId, SuitePlan("SHAREPOINTENTERPRISE")));

        var adjusted = new PlanDependencies().Close(new[] { Suite, Teams }, disabled);

        Assert.Contains(adjusted, a => a.Plan == "SHAREPOINTWAC" && a.Reason.StartsWith("needs SHAREPOINTENTERPRISE", StringComparison.Ordinal));
        Assert.Contains(SuitePlan("SHAREPOINTWAC"), disabled[Suite.SkuId]);
    }

    [Fact]
    public void A_refusal_while_one_named_plan_was_enabled_makes_the_rule_all_of_for_the_rest_of_the_run()
    {
        var rules = new PlanDependencies();
        var requires = new[] { TodaysSkus.Teams1, TodaysSkus.McoStandard };
        var enabledWhenRefused = new HashSet<Guid> { TodaysSkus.McoStandard, TodaysSkus.McoMeetAdv };

        Assert.True(rules.Learn(TodaysSkus.McoMeetAdv, requires, enabledWhenRefused));
        var disabled = Disabled((Teams.SkuId, TodaysSkus.Teams1));
        var adjusted = rules.Close(new[] { Suite, Teams }, disabled);

        Assert.Equal("MCOMEETADV", Assert.Single(adjusted).Plan);
        Assert.Equal("needs TEAMS1, which is disabled for this user", adjusted[0].Reason);
        Assert.DoesNotContain(TodaysSkus.McoEv, disabled[Suite.SkuId]); // still any-of: no refusal said otherwise
    }

    [Fact]
    public void A_refusal_with_every_named_plan_disabled_is_learnt_as_any_of_and_all_of_is_never_weakened()
    {
        var rules = new PlanDependencies();
        var requires = new[] { TodaysSkus.Teams1, TodaysSkus.McoStandard };

        Assert.True(rules.Learn(TodaysSkus.McoMeetAdv, requires, new HashSet<Guid> { TodaysSkus.McoMeetAdv }));
        Assert.Empty(rules.Close(new[] { Suite, Teams }, Disabled((Teams.SkuId, TodaysSkus.Teams1))));

        Assert.True(rules.Learn(TodaysSkus.McoMeetAdv, requires, new HashSet<Guid> { TodaysSkus.McoStandard }));
        Assert.False(rules.Learn(TodaysSkus.McoMeetAdv, requires, new HashSet<Guid> { TodaysSkus.McoMeetAdv }));
        Assert.Single(rules.Close(new[] { Suite, Teams }, Disabled((Teams.SkuId, TodaysSkus.Teams1))));
    }

    [Fact]
    public void Nothing_changes_while_every_base_is_enabled_somewhere_in_the_target()
    {
        var disabled = Disabled();

        Assert.Empty(new PlanDependencies().Close(new[] { Suite, Teams }, disabled));
        Assert.All(disabled.Values, set => Assert.Empty(set));
    }

    [Fact]
    public void A_base_the_target_does_not_have_at_all_is_left_to_eligibility()
    {
        // The suite alone has no TEAMS1: that is a ServiceLoss finding, not a reason to switch MCOEV off.
        Assert.Empty(new PlanDependencies().Close(new[] { Suite }, Disabled()));
    }

    [Fact]
    public void Graphs_dependency_400_is_read_and_learnt_once_then_applied()
    {
        const string message = "License assignment failed because service plan 3e26ee1f-8a5f-4d52-aee2-b81ce45c8f40 depends on the service plan(s) 0feaeb32-d00e-4d66-bd5a-43b5b83db82c,57ff2da0-773e-42df-b2af-ffb7a2317929";

        Assert.True(PlanDependencies.TryParse(message, out var plan, out var requires));
        Assert.Equal(TodaysSkus.McoMeetAdv, plan);
        Assert.Equal(new[] { TodaysSkus.McoStandard, TodaysSkus.Teams1 }, requires);

        var rules = new PlanDependencies();
        Assert.True(rules.Learn(plan, requires));
        Assert.False(rules.Learn(plan, requires.Reverse().ToList()));
    }

    [Fact]
    public void A_learnt_rule_the_engine_did_not_know_is_applied_by_id()
    {
        var swayId = Suite.ServicePlans.Single(p => p.ServicePlanName == "SWAY").ServicePlanId;
        var formsId = Suite.ServicePlans.Single(p => p.ServicePlanName == "FORMS_PLAN_E5").ServicePlanId;
        var rules = new PlanDependencies();
        rules.Learn(swayId, new[] { formsId });
        var disabled = Disabled((Suite.SkuId, formsId));

        var adjusted = rules.Close(new[] { Suite, Teams }, disabled);

        Assert.Equal("SWAY", Assert.Single(adjusted).Plan);
        Assert.Contains(swayId, disabled[Suite.SkuId]);
    }

    [Theory]
    [InlineData("License assignment cannot be done for user with invalid usage location.")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_messages_are_not_dependency_errors(string? message)
    {
        Assert.False(PlanDependencies.TryParse(message, out _, out _));
    }
}
