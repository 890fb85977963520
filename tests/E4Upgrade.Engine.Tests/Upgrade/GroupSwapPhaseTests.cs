using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Tests.Pacing;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// The group phase while Entra takes its time: member progress, the default timeout, conclusions that survive stale
/// member lists, and members a swap would leave with neither license. Virtual time (<see cref="ManualClock"/>).
/// </summary>
public sealed class GroupSwapPhaseTests : IDisposable
{
    private static readonly TimeSpan Lag = TimeSpan.FromSeconds(5);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4groups-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private UpgradeOptions Options() => new()
    {
        TargetSku = "ENTERPRISEPREMIUM",
        TenantId = "11111111-1111-1111-1111-111111111111",
        JournalPath = Path.Combine(_dir, "journal.jsonl"),
        GroupPollInterval = TimeSpan.FromSeconds(30),
        GroupProcessingTimeout = TimeSpan.FromMinutes(10),
    };

    private static MoveEngineSettings Engine()
    {
        var engine = UpgradeRunnerTests.FastEngine();
        engine.ReplicationLag = Lag;
        return engine;
    }

    private static (FakeTenant Tenant, List<FakeUser> Members, FakeGroup Group) Tenant(int members, int seats = 10_000, params Guid[] groupDisabled)
    {
        var tenant = new FakeTenant { GroupProcessingPolls = 0 };
        tenant.Skus.Add(TestSkus.E4(enabled: seats));
        tenant.Skus.Add(TestSkus.E5(enabled: seats));
        var users = Enumerable.Range(0, members).Select(i => tenant.AddUser($"member{i}@contoso.com")).ToList();
        var group = tenant.AddGroup("E4 staff", TestSkus.E4Id, users, groupDisabled);
        return (tenant, users, group);
    }

    /// <summary>The member as a read from before the swap shows them, with the target from the group in error.</summary>
    private static UserLicenses WithTargetInError(UserLicenses member, string groupId, string error) => new()
    {
        Id = member.Id,
        UserPrincipalName = member.UserPrincipalName,
        UsageLocation = member.UsageLocation,
        AssignedLicenses = Array.Empty<AssignedSku>(),
        AssignmentStates = new[] { new LicenseAssignment { SkuId = TestSkus.E5Id, AssignedByGroup = groupId, State = "Error", Error = error } },
    };

    [Fact]
    public async Task While_Entra_processes_a_group_progress_shows_its_members_moved_and_pending()
    {
        var (tenant, members, _) = Tenant(4);
        var before = members.ToDictionary(m => m.Id, m => tenant.View(m));
        var clock = new ManualClock();
        // Entra reaches members 2 and 3 only after two minutes.
        var gateway = new MemberViewGateway(tenant)
        {
            ListedAs = m => clock.Now < TimeSpan.FromMinutes(2) && (m.Id == members[2].Id || m.Id == members[3].Id) ? before[m.Id] : null,
        };
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(gateway, Engine(), clock).RunAsync(Options(), reporter, CancellationToken.None);

        Assert.True(summary.Succeeded);
        var progress = reporter.MemberProgress.ToList();
        var partway = progress.First();
        Assert.Equal((4, 2, 0, 2, false), (partway.Members, partway.Moved, partway.Failed, partway.Pending, partway.Finished));
        Assert.Equal(TimeSpan.FromMinutes(10), partway.Timeout);
        Assert.Contains("2 of 4 members moved, 0 with errors, 2 pending", partway.ToString());
        Assert.True(progress.Count >= 5, "one report per member listing while the phase waits");
        Assert.Equal(progress.Select(p => p.Waited).OrderBy(w => w), progress.Select(p => p.Waited));
        var last = progress.Last();
        Assert.Equal((4, 4, 0, true), (last.Members, last.Moved, last.Pending, last.Finished));
    }

    [Theory]
    [InlineData(0, 60)]
    [InlineData(1_000, 60)]
    [InlineData(3_000, 72)]
    [InlineData(10_000, 240)]
    [InlineData(60_000, 1_440)]
    public void The_default_wait_is_Microsofts_support_case_bound_scaled_to_the_group_and_at_least_an_hour(int members, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), GroupProcessingBound.DefaultTimeout(members));
    }

    [Fact]
    public async Task Without_a_timeout_given_a_large_group_is_waited_for_as_long_as_its_size_allows()
    {
        var (tenant, _, _) = Tenant(3_000);
        tenant.GroupProcessingPolls = int.MaxValue; // Entra never gets to it in this run
        var options = Options();
        options.GroupProcessingTimeout = null;
        options.GroupPollInterval = TimeSpan.FromMinutes(10);
        var clock = new ManualClock();
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, Engine(), clock).RunAsync(options, reporter, CancellationToken.None);

        Assert.Equal(1, summary.GroupsTimedOut);
        Assert.Equal(3_000, summary.GroupMembersPending);
        Assert.Equal(TimeSpan.FromMinutes(72), reporter.MemberProgress.Last().Timeout);
        Assert.True(clock.Now >= TimeSpan.FromMinutes(72), $"gave up after {clock.Now}");
    }

    [Fact]
    public async Task A_member_in_error_on_one_stale_read_is_not_reported_failed()
    {
        var (tenant, members, group) = Tenant(3);
        var clock = new ManualClock();
        var staleUntil = TimeSpan.FromSeconds(1);
        var gateway = new MemberViewGateway(tenant)
        {
            // The first listing after the swap answers member 0 from an older state, in which the target was in error.
            ListedAs = m => m.Id == members[0].Id && SwapSent(tenant, group) && clock.Now < staleUntil ? WithTargetInError(m, group.Id, "CountViolation") : null,
        };
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(gateway, Engine(), clock).RunAsync(Options(), reporter, CancellationToken.None);

        Assert.Empty(reporter.Users.Where(u => u.Status == MoveStatus.Failed).Select(u => u.UserPrincipalName + ": " + u.Message));
        Assert.Equal(3, summary.GroupMembersMoved);
        Assert.True(summary.Succeeded);
    }

    [Fact]
    public async Task A_member_still_in_error_after_the_replication_lag_is_reported_failed_with_the_cause()
    {
        var (tenant, members, group) = Tenant(3);
        var clock = new ManualClock();
        var gateway = new MemberViewGateway(tenant)
        {
            ListedAs = m => m.Id == members[0].Id && SwapSent(tenant, group) ? WithTargetInError(m, group.Id, "CountViolation") : null,
        };
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(gateway, Engine(), clock).RunAsync(Options(), reporter, CancellationToken.None);

        var failed = Assert.Single(reporter.Users, u => u.Status == MoveStatus.Failed);
        Assert.Equal(members[0].Id, failed.UserId);
        Assert.Equal(ErrorIds.InsufficientLicenses, failed.Reason);
        Assert.Equal(1, summary.GroupMembersFailed);
        Assert.True(clock.Now >= Lag, "concluded before a second read past the lag");
    }

    [Fact]
    public async Task Members_a_stale_read_shows_unprocessed_at_the_timeout_are_read_again_after_the_lag()
    {
        var (tenant, members, group) = Tenant(4);
        var before = members.ToDictionary(m => m.Id, m => tenant.View(m));
        var clock = new ManualClock();
        var options = Options();
        // Every listing up to the timeout answers from before the swap (Entra processed the members at once).
        var gateway = new MemberViewGateway(tenant) { ListedAs = m => clock.Now <= options.GroupProcessingTimeout ? before[m.Id] : null };
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(gateway, Engine(), clock).RunAsync(options, reporter, CancellationToken.None);

        Assert.Equal(0, summary.GroupMembersPending);
        Assert.Equal(4, summary.GroupMembersMoved);
        Assert.Equal(1, summary.GroupsSwapped);
        Assert.DoesNotContain(reporter.Users, u => u.Reason == ErrorIds.GroupProcessingTimeout);
    }

    [Fact]
    public async Task A_group_whose_member_would_get_a_mutually_exclusive_plan_is_refused_and_nobody_loses_E4()
    {
        // member0 has Exchange Online Plan 1 (Office 365 E1); the group's E4 has Exchange Plan 2 disabled. -DisabledPlans
        // replaces the mapping, so the target would bring Plan 2: group licensing would refuse it and E4 would be gone.
        var (tenant, members, group) = Tenant(3, 10_000, TestSkus.Plan("EXCHANGE_S_ENTERPRISE"));
        tenant.Skus.Add(TestSkus.E1());
        members[0].Direct[CatalogE1Id] = new List<Guid>();
        var options = Options();
        options.DisabledPlans = new[] { "FORMS_PLAN_E5" };
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, Engine(), new ManualClock()).RunAsync(options, reporter, CancellationToken.None);

        Assert.Equal(0, tenant.GroupWrites);
        Assert.True(tenant.Groups[group.Id].Licenses.ContainsKey(TestSkus.E4Id));
        Assert.All(members, m => Assert.True(tenant.Holds(m, TestSkus.E4Id), m.Upn + " lost E4"));
        var outcome = Assert.Single(reporter.Groups);
        Assert.Equal(GroupUpgradeStatus.Failed, outcome.Status);
        Assert.Contains(FindingCodes.GroupMemberConflicts, outcome.Message);
        var refused = Assert.Single(reporter.Users);
        Assert.Equal(members[0].Id, refused.UserId);
        Assert.Equal(ErrorIds.LicenseConflict, refused.Reason);
        Assert.Contains("MutuallyExclusiveViolation", refused.Message);
        Assert.Contains("EXCHANGE_S_STANDARD", refused.Message);
        Assert.False(summary.Succeeded);
    }

    [Fact]
    public async Task The_plan_shows_the_refusal_of_a_group_with_a_conflicting_member()
    {
        var (tenant, members, _) = Tenant(3, 10_000, TestSkus.Plan("EXCHANGE_S_ENTERPRISE"));
        tenant.Skus.Add(TestSkus.E1());
        members[0].Direct[CatalogE1Id] = new List<Guid>();
        var options = Options();
        options.DisabledPlans = new[] { "FORMS_PLAN_E5" };
        options.PlanOnly = true;
        var reporter = new RecordingReporter();

        await new UpgradeRunner(tenant, Engine(), new ManualClock()).RunAsync(options, reporter, CancellationToken.None);

        Assert.Equal(GroupUpgradeStatus.Failed, Assert.Single(reporter.Groups).Status);
        var refused = Assert.Single(reporter.Users);
        Assert.Equal((members[0].Id, MoveStatus.Failed, ErrorIds.LicenseConflict), (refused.UserId, refused.Status, refused.Reason));
        Assert.Equal(0, tenant.TotalWrites + tenant.GroupWrites);
    }

    [Fact]
    public async Task With_the_finding_accepted_the_group_with_a_conflicting_member_is_swapped_with_a_warning()
    {
        var (tenant, members, _) = Tenant(3, 10_000, TestSkus.Plan("EXCHANGE_S_ENTERPRISE"));
        tenant.Skus.Add(TestSkus.E1());
        members[0].Direct[CatalogE1Id] = new List<Guid>();
        var options = Options();
        options.DisabledPlans = new[] { "FORMS_PLAN_E5" };
        options.AcceptedFindings = new[] { FindingCodes.GroupMemberConflicts };
        var reporter = new RecordingReporter();

        await new UpgradeRunner(tenant, Engine(), new ManualClock()).RunAsync(options, reporter, CancellationToken.None);

        Assert.Equal(1, tenant.GroupWrites);
        Assert.Contains(reporter.Warnings, w => w.Contains(FindingCodes.GroupMemberConflicts) && w.Contains("accepted"));
    }

    [Fact]
    public async Task A_usage_location_the_tenant_shows_prohibited_for_the_target_refuses_the_group_and_eligibility_warns()
    {
        var (tenant, members, group) = Tenant(3);
        // member0 already shows Office 365 E5 refused in Cuba through a pilot group; member1 is in Cuba too.
        members[0].UsageLocation = "CU";
        members[0].Inherited.Add(new FakeInherited { GroupId = Guid.NewGuid().ToString(), SkuId = TestSkus.E5Id, State = "Error", Error = "ProhibitedInUsageLocationViolation" });
        members[1].UsageLocation = "cu";
        var reporter = new RecordingReporter();

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);
        var summary = await new UpgradeRunner(tenant, Engine(), new ManualClock()).RunAsync(Options(), reporter, CancellationToken.None);

        var finding = Assert.Single(report.Findings, f => f.Code == FindingCodes.GroupMemberConflicts);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal(2, finding.AffectedCount);
        Assert.Contains("ProhibitedInUsageLocationViolation", finding.Message);
        Assert.Equal(0, tenant.GroupWrites);
        Assert.All(members, m => Assert.True(tenant.Holds(m, TestSkus.E4Id)));
        Assert.Equal(new[] { members[0].Id, members[1].Id }.OrderBy(i => i), reporter.Users.Select(u => u.UserId).OrderBy(i => i));
        Assert.All(reporter.Users, u => Assert.Contains("ProhibitedInUsageLocationViolation", u.Message));
        Assert.Equal(2, summary.GroupMembersFailed);
    }

    [Fact]
    public async Task Resuming_while_Entra_processes_a_swapped_group_counts_no_seat_for_its_members_twice()
    {
        // Exactly one seat per member. The first run times out before Entra starts on the group.
        var (tenant, members, group) = Tenant(3, seats: 3);
        tenant.GroupProcessingPolls = int.MaxValue;
        var options = Options();
        var first = await new UpgradeRunner(tenant, Engine(), new ManualClock()).RunAsync(options, null, CancellationToken.None);
        Assert.Equal(1, first.GroupsTimedOut);

        // Entra processes the members (their seats are taken), but a read within the lag still lists them with E4 only.
        var stale = members.ToDictionary(m => m.Id, m => tenant.View(m));
        tenant.GroupProcessingPolls = 0;
        await foreach (var _ in tenant.ListGroupMembersAsync(group.Id, CancellationToken.None)) { }
        Assert.Equal(3, tenant.Consumed(TestSkus.E5Id));
        var gateway = new MemberViewGateway(tenant) { StaleUsers = stale };
        var reporter = new RecordingReporter();

        var second = await new UpgradeRunner(gateway, Engine(), new ManualClock()).RunAsync(options, reporter, CancellationToken.None);

        Assert.DoesNotContain(reporter.Reports.Single().Findings, f => f.Code == FindingCodes.InsufficientTargetSeats);
        Assert.True(second.Succeeded);
        Assert.Equal(3, second.GroupMembersMoved);
        Assert.Equal(1, tenant.GroupWrites);
    }

    private static readonly Guid CatalogE1Id = TestSkus.E1().SkuId;

    /// <summary>True once the group no longer assigns E4: the swap has been sent.</summary>
    private static bool SwapSent(FakeTenant tenant, FakeGroup group) => !tenant.Groups[group.Id].Licenses.ContainsKey(TestSkus.E4Id);
}
