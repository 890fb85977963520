using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>Direct users moved to a compound target: one write adds every SKU and removes E4 (and redundant add-ons on request).</summary>
public sealed class CompoundDirectMoveTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4compound-direct-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private UpgradeOptions Options(bool removeAddOns = false) => new()
    {
        TargetSkus = new[] { "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise_New" },
        TenantId = "11111111-1111-1111-1111-111111111111",
        JournalPath = Path.Combine(_dir, "journal.jsonl"),
        RemoveRedundantAddOns = removeAddOns,
    };

    private static FakeTenant Tenant(int users = 5, int teamsSeats = 100)
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4());
        tenant.Skus.Add(TodaysSkus.E5NoTeams());
        tenant.Skus.Add(TodaysSkus.TeamsEnterprise(teamsSeats));
        tenant.Skus.Add(TodaysSkus.AudioConferencing());
        for (var i = 0; i < users; i++) tenant.AddUser($"user{i}@contoso.com", TestSkus.E4Id);
        return tenant;
    }

    private static Task<UpgradeSummary> Run(FakeTenant tenant, UpgradeOptions options, RecordingReporter? reporter = null) =>
        new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(options, reporter, CancellationToken.None);

    [Fact]
    public async Task Every_user_gets_both_skus_in_the_one_write_that_removes_E4()
    {
        var tenant = Tenant();

        var summary = await Run(tenant, Options());

        Assert.True(summary.Succeeded);
        Assert.Equal(5, summary.Moved);
        foreach (var user in tenant.Users.Values)
        {
            Assert.Equal(new[] { TodaysSkus.E5NoTeamsId, TodaysSkus.TeamsEnterpriseId }.OrderBy(g => g), user.Direct.Keys.OrderBy(g => g));
            Assert.Empty(user.Direct[TodaysSkus.TeamsEnterpriseId]); // Teams is on
            Assert.Equal(1, tenant.LicenseWrites[user.Id]);
        }
    }

    [Fact]
    public async Task Seats_run_out_per_sku_and_the_failure_names_the_sku()
    {
        var tenant = Tenant(users: 5, teamsSeats: 3);
        var options = Options();
        options.AcceptedFindings = new[] { FindingCodes.InsufficientTargetSeats };
        var reporter = new RecordingReporter();

        var summary = await Run(tenant, options, reporter);

        Assert.Equal(3, summary.Moved);
        var failed = reporter.Users.Where(u => u.Status == MoveStatus.Failed).ToList();
        Assert.Equal(2, failed.Count);
        Assert.All(failed, f =>
        {
            Assert.Equal(ErrorIds.InsufficientLicenses, f.Reason);
            Assert.StartsWith("Microsoft_Teams_Enterprise_New has no free seat", f.Message);
        });
        Assert.Equal(2, tenant.Users.Values.Count(u => u.Direct.ContainsKey(TestSkus.E4Id) && u.Direct.Count == 1));
    }

    [Fact]
    public async Task Redundant_add_ons_are_removed_in_the_same_call_only_with_the_switch_and_never_where_their_plan_is_disabled()
    {
        var tenant = Tenant(users: 0);
        var conf = tenant.AddUser("conf@contoso.com", TestSkus.E4Id, TodaysSkus.AudioConferencingId);
        var noTeams = tenant.AddUser("noteams@contoso.com", TestSkus.E4Id, TodaysSkus.AudioConferencingId);
        noTeams.Direct[TestSkus.E4Id].Add(TestSkus.Plan("TEAMS1"));
        noTeams.Direct[TestSkus.E4Id].Add(TestSkus.Plan("MCOSTANDARD"));
        // Teams off, Skype for Business on: Audio Conferencing keeps a base in the target, so the add-on is redundant.
        var skypeOnly = tenant.AddUser("skypeonly@contoso.com", TestSkus.E4Id, TodaysSkus.AudioConferencingId);
        skypeOnly.Direct[TestSkus.E4Id].Add(TestSkus.Plan("TEAMS1"));
        var reporter = new RecordingReporter();

        await Run(tenant, Options(removeAddOns: true), reporter);

        Assert.False(conf.Direct.ContainsKey(TodaysSkus.AudioConferencingId));
        Assert.Equal(1, tenant.LicenseWrites[conf.Id]);
        Assert.Equal(new[] { "MCOMEETADV" }, reporter.Users.Single(u => u.UserId == conf.Id).RemovedAddOns);
        Assert.True(noTeams.Direct.ContainsKey(TodaysSkus.AudioConferencingId)); // MCOMEETADV is disabled in the target for this user
        Assert.Contains(TodaysSkus.McoMeetAdv, noTeams.Direct[TodaysSkus.E5NoTeamsId]);
        Assert.Contains(reporter.Users.Single(u => u.UserId == noTeams.Id).AdjustedPlans, a => a.StartsWith("MCOMEETADV"));
        Assert.False(skypeOnly.Direct.ContainsKey(TodaysSkus.AudioConferencingId));
        Assert.DoesNotContain(TodaysSkus.McoMeetAdv, skypeOnly.Direct[TodaysSkus.E5NoTeamsId]);
        Assert.Empty(reporter.Users.Single(u => u.UserId == skypeOnly.Id).AdjustedPlans);
    }

    [Fact]
    public async Task Without_the_switch_add_ons_stay()
    {
        var tenant = Tenant(users: 0);
        var conf = tenant.AddUser("conf@contoso.com", TestSkus.E4Id, TodaysSkus.AudioConferencingId);

        await Run(tenant, Options());

        Assert.True(conf.Direct.ContainsKey(TodaysSkus.AudioConferencingId));
        Assert.False(conf.Direct.ContainsKey(TestSkus.E4Id));
    }

    [Fact]
    public async Task A_dependency_400_is_learnt_and_the_user_retried_once_with_the_closure_applied()
    {
        var tenant = Tenant(users: 3);
        var suite = TodaysSkus.E5NoTeams();
        var sway = suite.ServicePlans.Single(p => p.ServicePlanName == "SWAY").ServicePlanId;
        var whiteboard = suite.ServicePlans.Single(p => p.ServicePlanName == "WHITEBOARD_PLAN3").ServicePlanId;
        foreach (var user in tenant.Users.Values) user.Direct[TestSkus.E4Id].Add(TestSkus.Plan("SWAY"));
        var refused = 0;
        // Graph refuses Whiteboard without Sway (a rule made up here, unknown to the engine) until it is disabled too.
        tenant.Intercept = w => w.Kind == WriteKind.AssignLicense
            && w.Change!.Add.Single(a => a.SkuId == TodaysSkus.E5NoTeamsId).DisabledPlans.Contains(sway)
            && !w.Change.Add.Single(a => a.SkuId == TodaysSkus.E5NoTeamsId).DisabledPlans.Contains(whiteboard)
                ? new WriteOutcome { Status = 400, ErrorCode = "Request_BadRequest", ErrorMessage = $"License assignment failed because service plan {whiteboard} depends on the service plan(s) {sway}" }.Also(() => Interlocked.Increment(ref refused))
                : null;
        var reporter = new RecordingReporter();

        var summary = await Run(tenant, Options(), reporter);

        Assert.True(summary.Succeeded);
        Assert.InRange(refused, 1, 3); // users in flight before the rule was learnt are refused once each
        Assert.All(reporter.Users, u => Assert.InRange(u.Attempts, 1, 2));
        Assert.All(tenant.Users.Values, u => Assert.Contains(whiteboard, u.Direct[TodaysSkus.E5NoTeamsId]));
    }

    [Fact]
    public async Task A_refusal_while_one_named_base_was_enabled_is_learnt_as_all_of_and_the_user_retried_once()
    {
        // A Graph that reads "MCOMEETADV depends on TEAMS1, MCOSTANDARD" as all-of, unlike the public evidence.
        var tenant = Tenant(users: 3);
        foreach (var user in tenant.Users.Values) user.Direct[TestSkus.E4Id].Add(TestSkus.Plan("TEAMS1"));
        var refused = 0;
        tenant.Intercept = w =>
        {
            if (w.Kind != WriteKind.AssignLicense) return null;
            var suite = w.Change!.Add.Single(a => a.SkuId == TodaysSkus.E5NoTeamsId).DisabledPlans;
            var teams = w.Change.Add.Single(a => a.SkuId == TodaysSkus.TeamsEnterpriseId).DisabledPlans;
            if (!teams.Contains(TodaysSkus.Teams1) || suite.Contains(TodaysSkus.McoMeetAdv)) return null;
            Interlocked.Increment(ref refused);
            return new WriteOutcome
            {
                Status = 400,
                ErrorCode = "Request_BadRequest",
                ErrorMessage = $"License assignment failed because service plan {TodaysSkus.McoMeetAdv} depends on the service plan(s) {TodaysSkus.Teams1},{TodaysSkus.McoStandard}",
            };
        };
        var reporter = new RecordingReporter();

        var summary = await Run(tenant, Options(), reporter);

        Assert.Equal(3, summary.Moved);
        Assert.InRange(refused, 1, 3); // users in flight before the rule was learnt are refused once each
        Assert.All(reporter.Users, u => Assert.InRange(u.Attempts, 1, 2));
        Assert.All(reporter.Users, u => Assert.Contains(u.AdjustedPlans, a => a == "MCOMEETADV (Microsoft_365_E5_(no_Teams)): needs TEAMS1, which is disabled for this user"));
        foreach (var user in tenant.Users.Values)
        {
            Assert.Contains(TodaysSkus.McoMeetAdv, user.Direct[TodaysSkus.E5NoTeamsId]);
            Assert.DoesNotContain(TodaysSkus.McoEv, user.Direct[TodaysSkus.E5NoTeamsId]); // Graph refused nothing for it: still any-of
        }
    }

    [Fact]
    public async Task A_rule_learnt_in_one_run_is_kept_in_the_journal_and_known_in_advance_by_the_next()
    {
        var tenant = Tenant(users: 0);
        var suite = TodaysSkus.E5NoTeams();
        var sway = suite.ServicePlans.Single(p => p.ServicePlanName == "SWAY").ServicePlanId;
        var whiteboard = suite.ServicePlans.Single(p => p.ServicePlanName == "WHITEBOARD_PLAN3").ServicePlanId;
        tenant.AddUser("first@contoso.com", TestSkus.E4Id).Direct[TestSkus.E4Id].Add(TestSkus.Plan("SWAY"));
        var refused = 0;
        tenant.Intercept = w => w.Kind == WriteKind.AssignLicense
            && w.Change!.Add.Single(a => a.SkuId == TodaysSkus.E5NoTeamsId).DisabledPlans.Contains(sway)
            && !w.Change.Add.Single(a => a.SkuId == TodaysSkus.E5NoTeamsId).DisabledPlans.Contains(whiteboard)
                ? new WriteOutcome { Status = 400, ErrorCode = "Request_BadRequest", ErrorMessage = $"License assignment failed because service plan {whiteboard} depends on the service plan(s) {sway}" }.Also(() => Interlocked.Increment(ref refused))
                : null;
        await Run(tenant, Options());
        Assert.Equal(1, refused);
        Assert.Contains(File.ReadLines(Options().JournalPath!), line => line.Contains("\"dependencyLearnt\"", StringComparison.Ordinal));

        // The next run (a new process: a new runner) reads the rule from the journal before it writes.
        var second = tenant.AddUser("second@contoso.com", TestSkus.E4Id);
        second.Direct[TestSkus.E4Id].Add(TestSkus.Plan("SWAY"));
        var reporter = new RecordingReporter();
        var summary = await Run(tenant, Options(), reporter);

        Assert.Equal(1, refused);
        Assert.Equal(1, summary.Moved);
        var result = reporter.Users.Single(u => u.UserId == second.Id);
        Assert.Equal(1, result.Attempts);
        Assert.Contains(result.AdjustedPlans, a => a.StartsWith("WHITEBOARD_PLAN3 (Microsoft_365_E5_(no_Teams)): needs SWAY", StringComparison.Ordinal));
        Assert.Contains(whiteboard, second.Direct[TodaysSkus.E5NoTeamsId]);
    }

    [Fact]
    public async Task A_dependency_refusal_that_the_closure_does_not_change_is_not_retried()
    {
        var tenant = Tenant(users: 1);
        var sent = 0;
        tenant.Intercept = w =>
        {
            if (w.Kind != WriteKind.AssignLicense) return null;
            Interlocked.Increment(ref sent);
            return new WriteOutcome { Status = 400, ErrorCode = "Request_BadRequest", ErrorMessage = "License assignment failed because service plan 4828c8ec-dc2e-4779-b502-87ac9ce28ab7 depends on the service plan(s) 9f431833-0334-42de-a7dc-70aa40db46db" };
        };
        tenant.Users.Values.Single().Direct[TestSkus.E4Id].Clear();
        var reporter = new RecordingReporter();
        var lockbox = TodaysSkus.E5NoTeams().ServicePlans.Single(p => p.ServicePlanName == "LOCKBOX_ENTERPRISE");
        Assert.Equal(new Guid("9f431833-0334-42de-a7dc-70aa40db46db"), lockbox.ServicePlanId);

        await Run(tenant, Options(), reporter);

        // LOCKBOX_ENTERPRISE is enabled, so learning the rule changes nothing: no retry at all.
        Assert.Equal(1, sent);
        var result = reporter.Users.Single();
        Assert.Equal(MoveStatus.Failed, result.Status);
        Assert.Equal(ErrorIds.PlanDependencyRejected, result.Reason);
    }
}

public sealed class CompoundDirectMoveRetryTests
{
    [Fact]
    public async Task After_one_retry_a_second_dependency_refusal_fails_the_user_with_two_writes_at_most()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4());
        tenant.Skus.Add(TodaysSkus.E5NoTeams());
        tenant.Skus.Add(TodaysSkus.TeamsEnterprise());
        var user = tenant.AddUser("u@contoso.com", TestSkus.E4Id);
        user.Direct[TestSkus.E4Id].Add(TestSkus.Plan("SWAY"));
        var suite = TodaysSkus.E5NoTeams();
        var sway = suite.ServicePlans.Single(p => p.ServicePlanName == "SWAY").ServicePlanId;
        var whiteboard = suite.ServicePlans.Single(p => p.ServicePlanName == "WHITEBOARD_PLAN3").ServicePlanId;
        var sent = 0;
        tenant.Intercept = w =>
        {
            if (w.Kind != WriteKind.AssignLicense) return null;
            Interlocked.Increment(ref sent);
            return new WriteOutcome { Status = 400, ErrorCode = "Request_BadRequest", ErrorMessage = $"License assignment failed because service plan {whiteboard} depends on the service plan(s) {sway}" };
        };
        var reporter = new RecordingReporter();
        var options = new UpgradeOptions
        {
            TargetSkus = new[] { "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise_New" },
            TenantId = "11111111-1111-1111-1111-111111111111",
            JournalPath = Path.Combine(Path.GetTempPath(), "e4retry-" + Guid.NewGuid().ToString("N") + ".jsonl"),
        };

        await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(options, reporter, CancellationToken.None);

        Assert.Equal(2, sent);
        var result = reporter.Users.Single();
        Assert.Equal(MoveStatus.Failed, result.Status);
        Assert.Equal(ErrorIds.PlanDependencyRejected, result.Reason);
        Assert.Equal(2, result.Attempts);
        Assert.True(user.Direct.ContainsKey(TestSkus.E4Id)); // never a half-changed user
        File.Delete(options.JournalPath);
    }
}

internal static class OutcomeExtensions
{
    public static WriteOutcome Also(this WriteOutcome outcome, Action action)
    {
        action();
        return outcome;
    }
}
