using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Tests.Pacing;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

public sealed class UpgradeRunnerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4runner-" + Guid.NewGuid().ToString("N"));

    internal static MoveEngineSettings FastEngine() => new()
    {
        Pacer = { InitialWritesPerSecond = 2000, MaxWritesPerSecond = 5000 },
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        BatchLinger = TimeSpan.FromMilliseconds(1),
        ProgressInterval = TimeSpan.FromMilliseconds(10),
        ReplicationLag = TimeSpan.FromMilliseconds(10),
    };

    private UpgradeOptions Options(string target = "ENTERPRISEPREMIUM") => new()
    {
        TargetSku = target,
        TenantId = "11111111-1111-1111-1111-111111111111",
        JournalPath = Path.Combine(_dir, "journal.jsonl"),
        GroupPollInterval = TimeSpan.FromMilliseconds(5),
        GroupProcessingTimeout = TimeSpan.FromSeconds(10),
        TargetPollInterval = TimeSpan.FromMilliseconds(10),
    };

    private static FakeTenant Tenant(int direct, int groupMembers, int targetSeats = 10_000)
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4());
        tenant.Skus.Add(TestSkus.E5(enabled: targetSeats));
        for (var i = 0; i < direct; i++)
        {
            var user = tenant.AddUser($"direct{i}@contoso.com", TestSkus.E4Id);
            if (i % 3 == 0) user.Direct[TestSkus.E4Id].Add(TestSkus.Plan("FORMS_PLAN_E3"));
        }

        if (groupMembers > 0)
        {
            var members = Enumerable.Range(0, groupMembers).Select(i => tenant.AddUser($"member{i}@contoso.com")).ToList();
            tenant.AddGroup("E4 staff", TestSkus.E4Id, members, TestSkus.Plan("MCOVOICECONF"));
        }

        return tenant;
    }

    private static void AssertAllOnTarget(FakeTenant tenant)
    {
        foreach (var user in tenant.Users.Values)
        {
            Assert.False(tenant.Holds(user, TestSkus.E4Id), user.Upn + " still holds E4");
            Assert.True(tenant.Holds(user, TestSkus.E5Id), user.Upn + " lacks E5");
        }
    }

    [Fact]
    public async Task A_full_run_moves_direct_users_through_the_engine_and_groups_at_the_group()
    {
        var tenant = Tenant(direct: 45, groupMembers: 12);
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, FastEngine()).RunAsync(Options(), reporter, CancellationToken.None);

        AssertAllOnTarget(tenant);
        Assert.Equal(45, summary.Moved);
        Assert.Equal(0, summary.Failed);
        Assert.Equal(1, summary.GroupsSwapped);
        Assert.Equal(12, summary.GroupMembersMoved);
        Assert.True(summary.Succeeded);
        Assert.Equal(Path.Combine(_dir, "journal.jsonl"), summary.JournalPath);
        Assert.All(tenant.LicenseWrites.Values, n => Assert.Equal(1, n));
        Assert.Equal(45, tenant.LicenseWrites.Count);
        Assert.Equal(1, tenant.GroupWrites);
        Assert.Equal(57, reporter.Users.Count);
        Assert.Equal(new[] { UpgradePhase.Eligibility, UpgradePhase.DirectAssignments, UpgradePhase.GroupAssignments, UpgradePhase.Completion }, reporter.Completed);

        // Disabled plans follow the user (FORMS_PLAN_E3 -> FORMS_PLAN_E5) and the group (MCOVOICECONF has no counterpart).
        var formsE5 = tenant.Skus[1].ServicePlans.Single(p => p.ServicePlanName == "FORMS_PLAN_E5").ServicePlanId;
        Assert.Equal(new[] { formsE5 }, tenant.Users.Values.Single(u => u.Upn == "direct0@contoso.com").Direct[TestSkus.E5Id]);
        var group = tenant.Groups.Values.Single();
        Assert.Empty(group.Licenses[TestSkus.E5Id]);
        Assert.False(group.Licenses.ContainsKey(TestSkus.E4Id));
        Assert.Equal(new[] { "MCOVOICECONF" }, reporter.Groups.Single().DroppedPlans);

        var state = JournalState.Read(summary.JournalPath!);
        Assert.True(state.Completed);
        Assert.Equal(45, state.DoneUsers);
        Assert.Equal(GroupJournalStage.Verified, state.GroupStage(group.Id));
        Assert.Equal(57, E4Upgrade.Engine.Reporting.JournalReportReader.Read(summary.JournalPath!).Records.Count(r => r.Kind == E4Upgrade.Engine.Reporting.ReportRecordKind.User));
    }

    [Fact]
    public async Task Blockers_refuse_the_run_before_any_write_or_journal()
    {
        var tenant = Tenant(direct: 5, groupMembers: 0, targetSeats: 2);

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => new UpgradeRunner(tenant, FastEngine()).RunAsync(Options(), null, CancellationToken.None));

        Assert.Equal(ErrorIds.NotEligible, ex.ErrorId);
        Assert.Contains(FindingCodes.InsufficientTargetSeats, ex.Message);
        Assert.Equal(0, tenant.TotalWrites);
        Assert.False(File.Exists(Path.Combine(_dir, "journal.jsonl")));
    }

    [Fact]
    public async Task An_accepted_blocker_lets_the_run_go_and_the_engine_reports_the_affected_users()
    {
        var tenant = Tenant(direct: 4, groupMembers: 0);
        tenant.AddUser("nolocation@contoso.com", TestSkus.E4Id).UsageLocation = null;
        var options = Options();
        options.AcceptedFindings = new[] { FindingCodes.UsageLocationMissing };
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, FastEngine()).RunAsync(options, reporter, CancellationToken.None);

        Assert.Equal(4, summary.Moved);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(new[] { FindingCodes.UsageLocationMissing }, summary.AcceptedFindings);
        Assert.Equal(ErrorIds.UsageLocationMissing, reporter.Users.Single(u => u.UserPrincipalName == "nolocation@contoso.com").Reason);
        Assert.Contains(reporter.Warnings, w => w.Contains("accepted"));
        Assert.False(summary.Succeeded);
    }

    [Fact]
    public async Task Plan_mode_reports_the_full_plan_and_writes_nothing()
    {
        var tenant = Tenant(direct: 9, groupMembers: 4);
        var options = Options("ENTERPRISEPACK");
        tenant.Skus.Add(TestSkus.E3());
        tenant.Users.Values.First(u => u.Direct.ContainsKey(TestSkus.E4Id)).Direct[TestSkus.E4Id].Add(TestSkus.Plan("MCOVOICECONF"));
        options.PlanOnly = true;
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, FastEngine()).RunAsync(options, reporter, CancellationToken.None);

        Assert.Equal(0, tenant.TotalWrites);
        Assert.Equal(0, tenant.GroupWrites);
        Assert.False(Directory.Exists(_dir));
        Assert.Null(summary.JournalPath);
        Assert.True(summary.PlanOnly);
        Assert.Equal(9, summary.WouldMove);
        Assert.Equal(4, summary.GroupMembersWouldMove);
        Assert.Equal(13, reporter.Users.Count(u => u.Status == MoveStatus.WouldMove));
        Assert.Contains(reporter.Users, u => u.DroppedPlans.Contains("MCOVOICECONF") && u.GroupId == null);
        var group = reporter.Groups.Single();
        Assert.Equal(GroupUpgradeStatus.WouldSwap, group.Status);
        Assert.Equal(4, group.Members);
        Assert.Equal(new[] { "MCOVOICECONF" }, group.DroppedPlans);
        Assert.Contains(reporter.Warnings, w => w.Contains(FindingCodes.FeatureLoss));
    }

    [Fact]
    public async Task Plan_mode_warns_about_blockers_instead_of_refusing()
    {
        var tenant = Tenant(direct: 3, groupMembers: 0, targetSeats: 1);
        var options = Options();
        options.PlanOnly = true;
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, FastEngine()).RunAsync(options, reporter, CancellationToken.None);

        Assert.Contains(reporter.Warnings, w => w.Contains(FindingCodes.InsufficientTargetSeats) && w.Contains("refuses"));
        Assert.Equal(0, tenant.TotalWrites);
        Assert.Equal(3, summary.WouldMove + summary.Skipped + summary.Failed);
    }

    [Fact]
    public async Task A_run_cancelled_mid_way_resumes_and_moves_every_user_exactly_once()
    {
        var tenant = Tenant(direct: 200, groupMembers: 6);
        using var cts = new CancellationTokenSource();
        var writes = 0;
        tenant.AfterWrite = _ => { if (Interlocked.Increment(ref writes) == 70) cts.Cancel(); };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new UpgradeRunner(tenant, FastEngine()).RunAsync(Options(), null, cts.Token));
        Assert.InRange(tenant.LicenseWrites.Count, 70, 199);
        tenant.AfterWrite = null;

        var reporter = new RecordingReporter();
        var summary = await new UpgradeRunner(tenant, FastEngine()).RunAsync(Options(), reporter, CancellationToken.None);

        AssertAllOnTarget(tenant);
        Assert.Equal(200, tenant.LicenseWrites.Count);
        Assert.All(tenant.LicenseWrites.Values, n => Assert.Equal(1, n));
        Assert.True(summary.Resumed);
        Assert.Equal(0, summary.Failed);
        Assert.Equal(200, summary.Moved + summary.AlreadyMoved + summary.DoneEarlier);
        Assert.Equal(200, JournalState.Read(summary.JournalPath!).DoneUsers);
    }

    [Fact]
    public async Task A_user_with_only_an_intent_is_re_read_and_reported_already_moved()
    {
        var tenant = Tenant(direct: 3, groupMembers: 0);
        var landed = tenant.Users.Values.First();
        var options = Options();
        using (var journal = UpgradeJournal.Open(options.JournalPath!, new JournalHeader
               {
                   TenantId = "11111111-1111-1111-1111-111111111111", SourceSku = "ENTERPRISEWITHSCAL", SourceSkuId = TestSkus.E4Id,
                   TargetSku = "ENTERPRISEPREMIUM", TargetSkuId = TestSkus.E5Id, OptionsHash = "x",
               }))
        {
            journal.WriteSending(landed.Id, null);
        }

        // The killed run's write had landed: the user holds E5 and no longer E4.
        landed.Direct.Remove(TestSkus.E4Id);
        landed.Direct[TestSkus.E5Id] = new List<Guid>();
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, FastEngine()).RunAsync(options, reporter, CancellationToken.None);

        Assert.Equal(MoveStatus.AlreadyMoved, reporter.Users.Single(u => u.UserId == landed.Id).Status);
        Assert.False(tenant.LicenseWrites.ContainsKey(landed.Id));
        Assert.Equal(2, summary.Moved);
        Assert.Equal(1, summary.AlreadyMoved);
        Assert.True(JournalState.Read(options.JournalPath!).IsDone(landed.Id));
    }

    [Fact]
    public async Task A_user_the_journal_marks_done_who_holds_E4_again_is_decided_again_from_live_data()
    {
        var tenant = Tenant(direct: 3, groupMembers: 0);
        var options = Options();
        var first = await new UpgradeRunner(tenant, FastEngine()).RunAsync(options, null, CancellationToken.None);
        Assert.Equal(3, first.Moved);

        // Someone assigns E4 again: one user instead of the target, one next to it.
        var users = tenant.Users.Values.ToList();
        var swappedBack = users[0];
        swappedBack.Direct.Remove(TestSkus.E5Id);
        swappedBack.Direct[TestSkus.E4Id] = new List<Guid>();
        var both = users[1];
        both.Direct[TestSkus.E4Id] = new List<Guid>();
        var reporter = new RecordingReporter();

        var second = await new UpgradeRunner(tenant, FastEngine()).RunAsync(options, reporter, CancellationToken.None);

        AssertAllOnTarget(tenant);
        Assert.Equal(MoveStatus.Moved, reporter.Users.Single(u => u.UserId == swappedBack.Id).Status);
        Assert.Contains(reporter.Users.Single(u => u.UserId == both.Id).Status, new[] { MoveStatus.Moved, MoveStatus.AlreadyMoved });
        Assert.DoesNotContain(reporter.Users, u => u.UserId == users[2].Id);
        Assert.True(second.Succeeded);
    }

    [Fact]
    public async Task A_user_deleted_after_an_unanswered_write_is_reported_gone_once_then_counted_done()
    {
        var tenant = Tenant(direct: 2, groupMembers: 0);
        var options = Options();
        const string deletedId = "0b0b0b0b-0000-4000-8000-00000000dead";
        using (var journal = UpgradeJournal.Open(options.JournalPath!, new JournalHeader
               {
                   TenantId = "11111111-1111-1111-1111-111111111111", SourceSku = "ENTERPRISEWITHSCAL", SourceSkuId = TestSkus.E4Id,
                   TargetSku = "ENTERPRISEPREMIUM", TargetSkuId = TestSkus.E5Id, OptionsHash = "x",
               }))
        {
            journal.WriteSending(deletedId, "gone@contoso.com");
        }

        var reporter = new RecordingReporter();
        var summary = await new UpgradeRunner(tenant, FastEngine()).RunAsync(options, reporter, CancellationToken.None);

        var gone = reporter.Users.Single(u => u.UserId == deletedId);
        Assert.Equal(MoveStatus.Skipped, gone.Status);
        Assert.Equal(ErrorIds.UserDeleted, gone.Reason);
        Assert.True(summary.Succeeded);
        Assert.Contains(reporter.Warnings, w => w.Contains(deletedId));

        var again = new RecordingReporter();
        var next = await new UpgradeRunner(tenant, FastEngine()).RunAsync(options, again, CancellationToken.None);

        Assert.DoesNotContain(again.Users, u => u.UserId == deletedId);
        Assert.True(next.Succeeded);
        Assert.True(JournalState.Read(options.JournalPath!).IsDone(deletedId));
    }

    [Fact]
    public async Task A_journal_of_another_target_is_refused()
    {
        var tenant = Tenant(direct: 2, groupMembers: 0);
        tenant.Skus.Add(TestSkus.E3());
        var first = await new UpgradeRunner(tenant, FastEngine()).RunAsync(Options("ENTERPRISEPACK"), null, CancellationToken.None);
        Assert.Equal(2, first.Moved);
        tenant.AddUser("late@contoso.com", TestSkus.E4Id);

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => new UpgradeRunner(tenant, FastEngine()).RunAsync(Options("ENTERPRISEPREMIUM"), null, CancellationToken.None));

        Assert.Equal(ErrorIds.JournalMismatch, ex.ErrorId);
        Assert.True(tenant.Holds(tenant.Users.Values.Single(u => u.Upn == "late@contoso.com"), TestSkus.E4Id));
    }

    [Fact]
    public async Task Waits_for_a_target_that_becomes_active()
    {
        var tenant = Tenant(direct: 3, groupMembers: 0);
        tenant.Skus[1].CapabilityStatus = "Suspended";
        var options = Options();
        options.WaitForTarget = true;
        options.TargetWaitTimeout = TimeSpan.FromSeconds(10);
        var reporter = new RecordingReporter();
        var clock = new ManualClock { OnDelay = _ => tenant.Skus[1].CapabilityStatus = "Enabled" };

        var summary = await new UpgradeRunner(tenant, FastEngine(), clock).RunAsync(options, reporter, CancellationToken.None);

        Assert.Equal(3, summary.Moved);
        Assert.Contains(UpgradePhase.WaitForTarget, reporter.Completed);
        Assert.Equal(options.TargetPollInterval, clock.Delays[0]);
    }

    [Fact]
    public async Task Waiting_for_a_target_that_never_gets_enough_seats_times_out()
    {
        var tenant = Tenant(direct: 3, groupMembers: 0, targetSeats: 1);
        var options = Options();
        options.WaitForTarget = true;
        options.TargetWaitTimeout = TimeSpan.FromMinutes(30);
        options.TargetPollInterval = TimeSpan.FromSeconds(30);
        var clock = new ManualClock();

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => new UpgradeRunner(tenant, FastEngine(), clock).RunAsync(options, null, CancellationToken.None));

        Assert.Equal(ErrorIds.TargetNotReady, ex.ErrorId);
        Assert.Contains("1 free seats, 3 needed", ex.Message);
        Assert.Equal(0, tenant.TotalWrites);
        Assert.Equal(options.TargetWaitTimeout, clock.Now);
    }

    [Fact]
    public async Task A_group_whose_members_the_target_cannot_all_seat_is_not_swapped_even_with_the_blocker_accepted()
    {
        var tenant = Tenant(direct: 0, groupMembers: 5, targetSeats: 3);
        var options = Options();
        options.AcceptedFindings = new[] { FindingCodes.InsufficientTargetSeats };
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, FastEngine()).RunAsync(options, reporter, CancellationToken.None);

        // Group licensing would remove E4 from all five and seat only three: two would be left with no license.
        Assert.Equal(0, tenant.GroupWrites);
        Assert.Equal(1, summary.GroupsFailed);
        Assert.Equal(5, summary.GroupMembersFailed);
        var group = reporter.Groups.Single();
        Assert.Equal(GroupUpgradeStatus.Failed, group.Status);
        Assert.Contains("5 members need a", group.Message);
        Assert.All(reporter.Users, u => Assert.Equal(ErrorIds.InsufficientLicenses, u.Reason));
        Assert.False(summary.Succeeded);
    }

    [Fact]
    public async Task A_group_still_processing_at_the_timeout_is_verified_by_the_next_run_without_a_second_swap()
    {
        var tenant = Tenant(direct: 0, groupMembers: 4);
        tenant.GroupProcessingPolls = 1_000_000;
        var options = Options();
        options.GroupProcessingTimeout = TimeSpan.FromMilliseconds(100);
        var reporter = new RecordingReporter();

        var first = await new UpgradeRunner(tenant, FastEngine()).RunAsync(options, reporter, CancellationToken.None);

        Assert.Equal(1, first.GroupsTimedOut);
        Assert.Equal(4, first.GroupMembersPending);
        Assert.All(reporter.Users, u => Assert.Equal(ErrorIds.GroupProcessingTimeout, u.Reason));

        tenant.GroupProcessingPolls = 0;
        var second = await new UpgradeRunner(tenant, FastEngine()).RunAsync(options, null, CancellationToken.None);
        // Entra has finished meanwhile (the fake applies the change on the next listing).
        Assert.Equal(1, tenant.GroupWrites);
        Assert.Equal(1, second.GroupsSwapped);
        Assert.Equal(4, second.GroupMembersMoved);
        AssertAllOnTarget(tenant);
    }

    [Fact]
    public async Task A_group_swap_whose_answer_was_lost_is_re_read_and_not_sent_again()
    {
        var tenant = Tenant(direct: 0, groupMembers: 3);
        tenant.GroupAnswersToLose = 1;

        var summary = await new UpgradeRunner(tenant, FastEngine()).RunAsync(Options(), null, CancellationToken.None);

        Assert.Equal(1, tenant.GroupWrites);
        Assert.Equal(1, summary.GroupsSwapped);
        Assert.Equal(0, summary.GroupsFailed);
        AssertAllOnTarget(tenant);
    }

    [Fact]
    public async Task A_group_deleted_after_its_swap_is_recorded_as_gone_with_a_warning_and_does_not_wedge_later_runs()
    {
        var tenant = Tenant(direct: 0, groupMembers: 3);
        tenant.GroupProcessingPolls = 1_000_000;
        var options = Options();
        options.GroupProcessingTimeout = TimeSpan.FromMilliseconds(100);
        var first = await new UpgradeRunner(tenant, FastEngine()).RunAsync(options, null, CancellationToken.None);
        Assert.Equal(1, first.GroupsTimedOut);

        var group = tenant.Groups.Values.Single();
        tenant.Groups.Remove(group.Id);
        var reporter = new RecordingReporter();

        var second = await new UpgradeRunner(tenant, FastEngine()).RunAsync(options, reporter, CancellationToken.None);

        Assert.Equal(GroupUpgradeStatus.Gone, reporter.Groups.Single(g => g.GroupId == group.Id).Status);
        Assert.Contains(reporter.Warnings, w => w.Contains(group.Id) && w.Contains("deleted"));
        Assert.True(second.Succeeded);
        var third = await new UpgradeRunner(tenant, FastEngine()).RunAsync(options, null, CancellationToken.None);
        Assert.True(third.Succeeded);
        Assert.Equal(0, third.Groups);
    }

    [Fact]
    public async Task A_throttled_group_swap_is_retried_after_retry_after()
    {
        var tenant = Tenant(direct: 0, groupMembers: 2);
        var calls = 0;
        tenant.InterceptGroup = _ => ++calls == 1 ? new WriteOutcome { Status = 429, ErrorCode = "TooManyRequests", RetryAfter = TimeSpan.FromMilliseconds(20) } : null;

        var summary = await new UpgradeRunner(tenant, FastEngine()).RunAsync(Options(), null, CancellationToken.None);

        Assert.Equal(1, summary.GroupsSwapped);
        Assert.Equal(1, summary.Throttled);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_failed_group_swap_is_reported_and_the_group_keeps_E4()
    {
        var tenant = Tenant(direct: 0, groupMembers: 2);
        tenant.InterceptGroup = _ => new WriteOutcome { Status = 400, ErrorCode = "Request_BadRequest", ErrorMessage = "nope" };
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, FastEngine()).RunAsync(Options(), reporter, CancellationToken.None);

        Assert.Equal(1, summary.GroupsFailed);
        Assert.Equal(GroupUpgradeStatus.Failed, reporter.Groups.Single().Status);
        Assert.Contains("nope", reporter.Groups.Single().Message);
        Assert.True(tenant.Groups.Values.Single().Licenses.ContainsKey(TestSkus.E4Id));
        Assert.Equal(GroupJournalStage.SwapFailed, JournalState.Read(summary.JournalPath!).GroupStage(tenant.Groups.Values.Single().Id));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
