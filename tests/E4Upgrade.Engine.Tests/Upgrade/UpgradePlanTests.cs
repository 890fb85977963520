using System.Text.Json;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Tests.Licensing;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// The upgrade's one plan (UpgradePlan): one read of the SKUs for eligibility and both phases, one tenant-bound
/// journal header, and learnt rules from a journal applied only when they fit and switch off no core service unasked.
/// </summary>
public sealed class UpgradePlanTests : IDisposable
{
    private const string TenantId = "11111111-1111-1111-1111-111111111111";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4plan-" + Guid.NewGuid().ToString("N"));

    private static readonly Guid ExchangeE5 = CatalogSkus.PlanId(CatalogSkus.O365E5, "EXCHANGE_S_ENTERPRISE");
    private static readonly Guid FormsE5 = CatalogSkus.PlanId(CatalogSkus.O365E5, "FORMS_PLAN_E5");

    private string JournalPath => Path.Combine(_dir, "journal.jsonl");

    private UpgradeOptions Options(params string[] accepted) => new()
    {
        TargetSku = "ENTERPRISEPREMIUM",
        TenantId = TenantId,
        JournalPath = JournalPath,
        AcceptedFindings = accepted,
        GroupPollInterval = TimeSpan.FromMilliseconds(5),
        GroupProcessingTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Six direct E4 users; every third has Forms disabled, which the move carries over to FORMS_PLAN_E5.</summary>
    private static FakeTenant Tenant()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4());
        tenant.Skus.Add(TestSkus.E5());
        for (var i = 0; i < 6; i++)
        {
            var user = tenant.AddUser($"direct{i}@contoso.com", TestSkus.E4Id);
            if (i % 3 == 0) user.Direct[TestSkus.E4Id].Add(TestSkus.Plan("FORMS_PLAN_E3"));
        }

        return tenant;
    }

    /// <summary>A journal as a run of this tenant and target starts it, plus the given hand-written lines.</summary>
    private void WriteJournal(params string[] lines)
    {
        Directory.CreateDirectory(_dir);
        var run = "{\"type\":\"run\",\"format\":\"" + JournalFormat.Marker + "\",\"at\":\"2026-12-01T00:00:00+00:00\",\"version\":1,\"tenant\":\"" + TenantId +
            "\",\"sourceSku\":\"ENTERPRISEWITHSCAL\",\"sourceSkuId\":\"" + TestSkus.E4Id + "\",\"targetSku\":\"ENTERPRISEPREMIUM\",\"targetSkuId\":\"" + TestSkus.E5Id + "\",\"optionsHash\":\"x\"}";
        File.WriteAllLines(JournalPath, new[] { run }.Concat(lines));
    }

    private static string Rule(Guid plan, params Guid[] requires) =>
        "{\"type\":\"dependencyLearnt\",\"at\":\"2026-12-01T00:00:01+00:00\",\"plan\":\"" + plan + "\",\"requires\":" + JsonSerializer.Serialize(requires) + ",\"kind\":\"AllOf\"}";

    private static IEnumerable<FakeUser> WithExchangeDisabled(FakeTenant tenant) =>
        tenant.Users.Values.Where(u => u.Holds(TestSkus.E5Id) && u.Direct[TestSkus.E5Id].Contains(ExchangeE5));

    [Fact]
    public async Task A_hand_written_rule_that_would_switch_off_Exchange_stops_the_run_as_a_finding_before_any_write()
    {
        var tenant = Tenant();
        WriteJournal(Rule(ExchangeE5, FormsE5));

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() =>
            new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(Options(), null, CancellationToken.None));

        Assert.Equal(ErrorIds.NotEligible, ex.ErrorId);
        Assert.Contains(FindingCodes.LearntRuleDisablesCoreService, ex.Message);
        Assert.Contains("EXCHANGE_S_ENTERPRISE", ex.Message);
        Assert.Equal(0, tenant.TotalWrites);
        Assert.Empty(WithExchangeDisabled(tenant));
    }

    [Fact]
    public async Task Plan_mode_shows_the_rule_as_a_blocker_and_does_not_apply_it()
    {
        var tenant = Tenant();
        WriteJournal(Rule(ExchangeE5, FormsE5));
        var reporter = new RecordingReporter();
        var options = Options();
        options.PlanOnly = true;

        await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(options, reporter, CancellationToken.None);

        Assert.Contains(reporter.Warnings, w => w.Contains(FindingCodes.LearntRuleDisablesCoreService) && w.Contains("refuses to start"));
        Assert.DoesNotContain(reporter.Users, r => r.DisabledPlansAfter.Contains("EXCHANGE_S_ENTERPRISE"));
    }

    [Fact]
    public async Task An_accepted_core_service_rule_is_applied()
    {
        var tenant = Tenant();
        WriteJournal(Rule(ExchangeE5, FormsE5));

        var summary = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine())
            .RunAsync(Options(FindingCodes.LearntRuleDisablesCoreService), null, CancellationToken.None);

        Assert.Equal(6, summary.Moved);
        Assert.Contains(FindingCodes.LearntRuleDisablesCoreService, summary.AcceptedFindings);
        Assert.Equal(2, WithExchangeDisabled(tenant).Count());
    }

    [Fact]
    public async Task A_rule_that_does_not_fit_the_target_is_ignored_with_a_warning()
    {
        var tenant = Tenant();
        var notAPlan = Guid.NewGuid();
        // Applied, the first would disable Sway for the users with Forms disabled (AllOf, and the plan it adds is not in the SKUs).
        WriteJournal(Rule(CatalogSkus.PlanId(CatalogSkus.O365E5, "SWAY"), FormsE5, notAPlan), Rule(notAPlan, FormsE5));
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(Options(), reporter, CancellationToken.None);

        Assert.True(summary.Succeeded);
        Assert.Equal(2, reporter.Warnings.Count(w => w.Contains("does not fit")));
        Assert.DoesNotContain(tenant.Users.Values, u => u.Direct[TestSkus.E5Id].Contains(CatalogSkus.PlanId(CatalogSkus.O365E5, "SWAY")));
    }

    [Fact]
    public void A_rule_is_consistent_only_when_its_plans_are_in_the_SKUs_and_core_when_it_names_a_core_plan()
    {
        var source = TestSkus.E4();
        var target = new CompoundTarget(new[] { TestSkus.E5() });
        var sway = CatalogSkus.PlanId(CatalogSkus.O365E5, "SWAY");
        var rules = new[]
        {
            new LearntDependency(sway, new[] { FormsE5 }, DependencyKind.AnyOf),
            new LearntDependency(ExchangeE5, new[] { FormsE5 }, DependencyKind.AllOf),
            new LearntDependency(Guid.NewGuid(), new[] { FormsE5 }, DependencyKind.AnyOf),
            new LearntDependency(sway, new[] { Guid.NewGuid() }, DependencyKind.AnyOf),
            new LearntDependency(sway, new[] { sway }, DependencyKind.AnyOf),
        };

        var review = LearntRuleReview.Of(rules, source, target);

        Assert.Equal(new[] { sway }, review.Consistent.Select(r => r.Plan));
        Assert.Equal(new[] { ExchangeE5 }, review.CoreService.Select(r => r.Plan));
        Assert.Equal(3, review.Ignored.Count);
        Assert.Equal(FindingCodes.LearntRuleDisablesCoreService, review.Finding("j")!.Code);
        Assert.Equal(2, review.ToApply(coreAccepted: true).Count);
        Assert.Single(review.ToApply(coreAccepted: false));
    }

    [Fact]
    public async Task A_device_SKU_target_fails_eligibility_before_the_journal_is_opened()
    {
        var tenant = Tenant();
        var device = TestSkus.Sku(Guid.NewGuid(), "DEVICE_E5", 100, "Enabled", new[] { ("INTUNE_A", Guid.NewGuid()) });
        device.AppliesTo = "Company";
        tenant.Skus.Add(device);
        var options = Options();
        options.TargetSku = "DEVICE_E5";

        var report = await new EligibilityChecker(tenant).CheckAsync("DEVICE_E5", CancellationToken.None);
        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() =>
            new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(options, null, CancellationToken.None));

        Assert.Contains(report.Findings, f => f.Code == FindingCodes.TargetNotForUsers && f.Severity == FindingSeverity.Blocker);
        Assert.False(report.IsEligible);
        Assert.Equal(ErrorIds.NotEligible, ex.ErrorId);
        Assert.Contains(FindingCodes.TargetNotForUsers, ex.Message);
        Assert.False(File.Exists(JournalPath));
        Assert.Equal(0, tenant.TotalWrites);
    }

    [Fact]
    public async Task A_run_reads_the_subscribed_SKUs_once_for_eligibility_and_both_phases()
    {
        var tenant = Tenant();

        await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(Options(), null, CancellationToken.None);

        Assert.Equal(1, tenant.SubscribedSkuReads);
    }

    [Fact]
    public async Task Plan_mode_leaves_out_finished_users_only_from_a_journal_of_this_tenant()
    {
        var tenant = Tenant();
        var first = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(Options(), null, CancellationToken.None);
        Assert.Equal(6, first.Moved);
        var plan = Options();
        plan.PlanOnly = true;
        var otherTenant = Options();
        otherTenant.PlanOnly = true;
        otherTenant.TenantId = "22222222-2222-2222-2222-222222222222";

        var same = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(plan, null, CancellationToken.None);
        var other = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(otherTenant, null, CancellationToken.None);

        Assert.Equal(6, same.DoneEarlier);
        Assert.Equal(0, other.DoneEarlier);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
