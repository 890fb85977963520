using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>Start-E4Upgrade's group phase and journal with a compound target (suite without Teams + Teams Enterprise).</summary>
public sealed class CompoundGroupSwapTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4compound-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private UpgradeOptions Options(params string[] target) => new()
    {
        TargetSkus = target.Length == 0 ? new[] { "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise_New" } : target,
        TenantId = "11111111-1111-1111-1111-111111111111",
        JournalPath = Path.Combine(_dir, "journal.jsonl"),
        GroupPollInterval = TimeSpan.FromMilliseconds(5),
        GroupProcessingTimeout = TimeSpan.FromSeconds(10),
    };

    private static FakeTenant Tenant(int members = 4, int teamsSeats = 100, params Guid[] groupDisabled)
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4());
        tenant.Skus.Add(TodaysSkus.E5NoTeams());
        tenant.Skus.Add(TodaysSkus.TeamsEnterprise(teamsSeats));
        tenant.AddGroup("E4 staff", TestSkus.E4Id, Enumerable.Range(0, members).Select(i => tenant.AddUser($"member{i}@contoso.com")).ToList(), groupDisabled);
        return tenant;
    }

    /// <summary>Graph's 400 for a plan dependency on the first group swap only; returns how many swaps were refused.</summary>
    private static Func<int> RefuseTheFirstSwap(FakeTenant tenant, Guid plan, params Guid[] requires)
    {
        var refusals = 0;
        tenant.InterceptGroup = _ =>
        {
            if (refusals > 0) return null;
            refusals++;
            return new WriteOutcome
            {
                Status = 400,
                ErrorCode = "Request_BadRequest",
                ErrorMessage = $"License assignment failed because service plan {plan} depends on the service plan(s) {string.Join(",", requires)}",
            };
        };
        return () => refusals;
    }

    [Fact]
    public async Task One_group_call_adds_every_target_sku_and_removes_E4()
    {
        var tenant = Tenant();
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(Options(), reporter, CancellationToken.None);

        Assert.True(summary.Succeeded);
        Assert.Equal("Microsoft_365_E5_(no_Teams) + Microsoft_Teams_Enterprise_New", summary.TargetSku);
        Assert.Equal(1, tenant.GroupWrites);
        Assert.Equal(4, summary.GroupMembersMoved);
        var group = tenant.Groups.Values.Single();
        Assert.Equal(new[] { TodaysSkus.E5NoTeamsId, TodaysSkus.TeamsEnterpriseId }.OrderBy(g => g), group.Licenses.Keys.OrderBy(g => g));
        foreach (var user in tenant.Users.Values)
        {
            Assert.False(tenant.Holds(user, TestSkus.E4Id));
            Assert.True(tenant.Holds(user, TodaysSkus.E5NoTeamsId));
            Assert.True(tenant.Holds(user, TodaysSkus.TeamsEnterpriseId));
        }
    }

    [Fact]
    public async Task A_group_the_add_on_cannot_seat_is_not_swapped_and_the_sku_is_named()
    {
        var tenant = Tenant(members: 4, teamsSeats: 2);
        var reporter = new RecordingReporter();
        var options = Options();
        options.AcceptedFindings = new[] { FindingCodes.InsufficientTargetSeats };

        var summary = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(options, reporter, CancellationToken.None);

        Assert.Equal(0, tenant.GroupWrites);
        Assert.Equal(1, summary.GroupsFailed);
        var result = reporter.Groups.Single();
        Assert.Contains("4 members need a Microsoft_Teams_Enterprise_New seat and only 2 are free", result.Message);
        Assert.DoesNotContain("Microsoft_365_E5_(no_Teams) seat", result.Message);
        Assert.All(tenant.Users.Values, u => Assert.True(tenant.Holds(u, TestSkus.E4Id)));
    }

    [Fact]
    public async Task A_group_with_Teams_and_Skype_disabled_gets_the_dependent_plans_disabled_and_says_so()
    {
        var tenant = Tenant(4, 100, TestSkus.Plan("TEAMS1"), TestSkus.Plan("MCOSTANDARD"));
        var reporter = new RecordingReporter();

        await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(Options(), reporter, CancellationToken.None);

        var group = tenant.Groups.Values.Single();
        Assert.Equal(new[] { TodaysSkus.Teams1 }, group.Licenses[TodaysSkus.TeamsEnterpriseId]);
        Assert.Contains(TodaysSkus.McoStandard, group.Licenses[TodaysSkus.E5NoTeamsId]);
        Assert.Contains(TodaysSkus.McoEv, group.Licenses[TodaysSkus.E5NoTeamsId]);
        Assert.Contains(TodaysSkus.McoMeetAdv, group.Licenses[TodaysSkus.E5NoTeamsId]);
        var result = reporter.Groups.Single();
        Assert.Equal(2, result.AdjustedPlans.Count);
        Assert.Contains(result.AdjustedPlans, a => a.StartsWith("MCOEV (Microsoft_365_E5_(no_Teams)): needs TEAMS1 or MCOSTANDARD"));
    }

    [Fact]
    public async Task A_dependency_400_the_engine_did_not_know_is_learnt_and_the_group_retried_once()
    {
        var tenant = Tenant(4, 100, TestSkus.Plan("SWAY"));
        var suite = TodaysSkus.E5NoTeams();
        var sway = suite.ServicePlans.Single(p => p.ServicePlanName == "SWAY").ServicePlanId;
        var whiteboard = suite.ServicePlans.Single(p => p.ServicePlanName == "WHITEBOARD_PLAN3").ServicePlanId;
        // Graph refuses the first swap for a rule the engine does not know (Whiteboard needs Sway, made up here).
        var refusals = RefuseTheFirstSwap(tenant, whiteboard, sway);
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(Options(), reporter, CancellationToken.None);

        Assert.Equal(1, refusals());
        Assert.Equal(1, tenant.GroupWrites); // the refused call never reached the group; exactly one more was sent
        Assert.True(summary.Succeeded);
        Assert.Contains(whiteboard, tenant.Groups.Values.Single().Licenses[TodaysSkus.E5NoTeamsId]);
        Assert.Contains(reporter.Groups.Single().AdjustedPlans, a => a.StartsWith("WHITEBOARD_PLAN3"));
    }

    [Fact]
    public async Task A_group_refusal_while_one_named_base_was_enabled_is_learnt_as_all_of_and_the_group_retried_once()
    {
        // A Graph that reads "MCOMEETADV depends on TEAMS1, MCOSTANDARD" as all-of, unlike the public evidence:
        // the group has Teams off and Skype on, so the any-of reading keeps Audio Conferencing and Graph refuses it.
        var tenant = Tenant(4, 100, TestSkus.Plan("TEAMS1"));
        var refusals = RefuseTheFirstSwap(tenant, TodaysSkus.McoMeetAdv, TodaysSkus.Teams1, TodaysSkus.McoStandard);
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(Options(), reporter, CancellationToken.None);

        Assert.True(summary.Succeeded);
        Assert.Equal(1, refusals());
        Assert.Equal(1, tenant.GroupWrites); // one more call after the refusal, none after that
        var suite = tenant.Groups.Values.Single().Licenses[TodaysSkus.E5NoTeamsId];
        Assert.Contains(TodaysSkus.McoMeetAdv, suite);
        Assert.DoesNotContain(TodaysSkus.McoEv, suite); // Graph refused nothing for Teams Phone: still any-of
        Assert.Contains(reporter.Groups.Single().AdjustedPlans, a => a.StartsWith("MCOMEETADV (Microsoft_365_E5_(no_Teams))"));
    }

    [Fact]
    public async Task A_second_refusal_for_the_same_dependency_is_not_retried_again()
    {
        var tenant = Tenant(4);
        var calls = 0;
        tenant.InterceptGroup = _ =>
        {
            calls++;
            return new WriteOutcome { Status = 400, ErrorCode = "Request_BadRequest", ErrorMessage = "License assignment failed because service plan 3e26ee1f-8a5f-4d52-aee2-b81ce45c8f40 depends on the service plan(s) 0feaeb32-d00e-4d66-bd5a-43b5b83db82c" };
        };
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(Options(), reporter, CancellationToken.None);

        Assert.Equal(2, calls);
        Assert.Equal(1, summary.GroupsFailed);
    }

    [Fact]
    public async Task Resuming_with_other_add_ons_is_refused_with_CompoundTargetChanged()
    {
        var tenant = Tenant();
        tenant.Skus.Add(TodaysSkus.AudioConferencing());
        await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(Options(), null, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine())
            .RunAsync(Options("Microsoft_365_E5_(no_Teams)", "MCOMEETADV"), null, CancellationToken.None));

        Assert.Equal(ErrorIds.CompoundTargetChanged, ex.ErrorId);
        Assert.Contains("Microsoft_365_E5_(no_Teams) + Microsoft_Teams_Enterprise_New", ex.Message);
    }

    [Fact]
    public async Task The_same_compound_target_in_another_order_resumes()
    {
        var tenant = Tenant();
        await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(Options(), null, CancellationToken.None);

        var summary = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine())
            .RunAsync(Options("Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise_New"), null, CancellationToken.None);

        Assert.True(summary.Resumed);
    }
}
