using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Tests.Pacing;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// Seats promised to group swaps Entra has not processed yet (consumedUnits does not count those members): a group the
/// rest cannot cover is refused whole, in the same run and in the next run's direct phase. The tenant is the
/// simulator's model in process; Entra processes a group only when the test lets it (<see cref="FakeTenant.GroupProcessingPolls"/>).
/// </summary>
public sealed class GroupSeatsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4groupseats-" + Guid.NewGuid().ToString("N"));

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
        GroupProcessingTimeout = TimeSpan.Zero, // -GroupProcessingTimeout 0: the run does not wait for Entra
        AcceptedFindings = new[] { FindingCodes.InsufficientTargetSeats },
    };

    private static MoveEngineSettings Engine()
    {
        var engine = UpgradeRunnerTests.FastEngine();
        engine.ReplicationLag = TimeSpan.FromSeconds(5);
        return engine;
    }

    private static FakeTenant Tenant(int targetSeats)
    {
        var tenant = new FakeTenant { GroupProcessingPolls = int.MaxValue }; // Entra starts on no group during the run
        tenant.Skus.Add(TestSkus.E4(enabled: 100));
        tenant.Skus.Add(TestSkus.E5(enabled: targetSeats));
        return tenant;
    }

    private static FakeGroup Group(FakeTenant tenant, string name, int members) =>
        tenant.AddGroup(name, TestSkus.E4Id, Enumerable.Range(0, members).Select(i => tenant.AddUser($"{name}-{i}@contoso.com")).ToList());

    /// <summary>Lets Entra process every group now, as it does after the run.</summary>
    private static async Task ProcessAllAsync(FakeTenant tenant)
    {
        tenant.GroupProcessingPolls = 0;
        foreach (var id in tenant.Groups.Keys)
        {
            await foreach (var _ in tenant.ListGroupMembersAsync(id, CancellationToken.None)) { }
        }
    }

    private static void AssertNobodyUnlicensed(FakeTenant tenant)
    {
        Assert.Empty(tenant.EverUnlicensed);
        Assert.All(tenant.Users.Values, u => Assert.True(u.Holds(TestSkus.E4Id) || u.Holds(TestSkus.E5Id), u.Upn + " holds neither E4 nor the target"));
    }

    [Fact]
    public async Task A_second_group_the_seats_left_after_an_unprocessed_swap_cannot_cover_is_refused_whole()
    {
        // Two groups of two E4 members, three free target seats: the first swap owes two of them before Entra counts them.
        var tenant = Tenant(targetSeats: 3);
        var first = Group(tenant, "GA", 2);
        var second = Group(tenant, "GB", 2);
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, Engine(), new ManualClock()).RunAsync(Options(), reporter, CancellationToken.None);

        Assert.Equal(1, tenant.GroupWrites);
        Assert.Equal(GroupUpgradeStatus.TimedOut, reporter.Groups.Single(g => g.GroupId == first.Id).Status);
        var refused = reporter.Groups.Single(g => g.GroupId == second.Id);
        Assert.Equal(GroupUpgradeStatus.Failed, refused.Status);
        Assert.Contains("2 members need a ENTERPRISEPREMIUM seat and only 1 are free", refused.Message);
        Assert.Equal(2, reporter.Users.Count(u => u.GroupId == second.Id && u.Reason == ErrorIds.InsufficientLicenses));
        Assert.True(tenant.Groups[second.Id].Licenses.ContainsKey(TestSkus.E4Id), "the refused group was changed");
        Assert.Equal(1, summary.GroupsFailed);

        await ProcessAllAsync(tenant);
        AssertNobodyUnlicensed(tenant);
    }

    [Fact]
    public async Task Seats_a_swap_of_an_earlier_run_still_owes_are_not_given_to_the_next_runs_direct_holders()
    {
        var tenant = Tenant(targetSeats: 2);
        var group = Group(tenant, "GA", 2);
        var firstRun = await new UpgradeRunner(tenant, Engine(), new ManualClock()).RunAsync(Options(), null, CancellationToken.None);
        Assert.Equal(1, firstRun.GroupsTimedOut);
        // Before the next run someone is given E4 directly; Entra has still not processed the group.
        var direct = tenant.AddUser("direct@contoso.com", TestSkus.E4Id);
        var reporter = new RecordingReporter();

        await new UpgradeRunner(tenant, Engine(), new ManualClock()).RunAsync(Options(), reporter, CancellationToken.None);

        var result = reporter.Users.Single(u => u.UserId == direct.Id);
        Assert.Equal((MoveStatus.Failed, ErrorIds.InsufficientLicenses), (result.Status, result.Reason));
        Assert.False(tenant.LicenseWrites.ContainsKey(direct.Id));
        Assert.Equal(1, tenant.GroupWrites);

        await ProcessAllAsync(tenant);
        AssertNobodyUnlicensed(tenant);
        Assert.All(tenant.Groups[group.Id].MemberIds, id => Assert.True(tenant.Users[id].Holds(TestSkus.E5Id)));
    }

    [Fact]
    public async Task The_seats_of_a_swap_Graph_refused_go_back_to_the_next_group()
    {
        var tenant = Tenant(targetSeats: 3);
        var refused = Group(tenant, "GA", 2);
        var next = Group(tenant, "GB", 2);
        tenant.InterceptGroup = id => id == refused.Id ? new WriteOutcome { RequestId = id, Status = 400, ErrorCode = "Request_BadRequest", ErrorMessage = "refused" } : null;
        var reporter = new RecordingReporter();

        await new UpgradeRunner(tenant, Engine(), new ManualClock()).RunAsync(Options(), reporter, CancellationToken.None);

        Assert.Equal(GroupUpgradeStatus.Failed, reporter.Groups.Single(g => g.GroupId == refused.Id).Status);
        Assert.Equal(GroupUpgradeStatus.TimedOut, reporter.Groups.Single(g => g.GroupId == next.Id).Status);
        Assert.False(tenant.Groups[next.Id].Licenses.ContainsKey(TestSkus.E4Id), "the second group was not swapped");
        await ProcessAllAsync(tenant);
        AssertNobodyUnlicensed(tenant);
    }

    [Fact]
    public async Task Groups_are_sent_without_waiting_for_each_other_and_verified_together()
    {
        // Three groups Entra processes only after two member listings each; one poll interval apart.
        var tenant = Tenant(targetSeats: 100);
        tenant.GroupProcessingPolls = 2;
        var groups = Enumerable.Range(0, 3).Select(i => Group(tenant, "G" + i, 2)).ToList();
        var options = Options();
        options.GroupProcessingTimeout = TimeSpan.FromHours(1);
        var clock = new ManualClock();

        var summary = await new UpgradeRunner(tenant, Engine(), clock).RunAsync(options, null, CancellationToken.None);

        Assert.Equal(3, summary.GroupsSwapped);
        Assert.Equal(6, summary.GroupMembersMoved);
        // One at a time would wait two poll intervals per group (six in all).
        Assert.True(clock.Now < TimeSpan.FromMinutes(1.5), $"took {clock.Now} of virtual time");
    }

    [Fact]
    public void A_member_of_two_swapped_groups_is_promised_one_seat_and_keeps_it_while_either_promise_stands()
    {
        var member = new UserLicenses { Id = "u1" };
        var other = new UserLicenses { Id = "u2" };
        var seats = new GroupSeats(new Dictionary<Guid, int> { [TestSkus.E5Id] = 2 });
        var skus = new[] { TestSkus.E5Id };

        seats.Promise("ga", GroupSeatNeed.Of(new[] { member }, skus));
        Assert.Empty(seats.Shortages(GroupSeatNeed.Of(new[] { member, other }, skus)));
        seats.Promise("gb", GroupSeatNeed.Of(new[] { member, other }, skus));
        Assert.Equal((2, 0), (seats.Promised(TestSkus.E5Id), seats.Free(TestSkus.E5Id)));

        seats.Release("ga");
        Assert.Equal(2, seats.Promised(TestSkus.E5Id));
        seats.Release("gb");
        Assert.Equal((0, 2), (seats.Promised(TestSkus.E5Id), seats.Free(TestSkus.E5Id)));
    }

    [Fact]
    public void A_member_who_already_holds_the_target_needs_no_seat()
    {
        var holder = new UserLicenses
        {
            Id = "u1",
            AssignedLicenses = new[] { new AssignedSku(TestSkus.E5Id) },
            AssignmentStates = new[] { new LicenseAssignment { SkuId = TestSkus.E5Id, State = "Active" } },
        };
        var inError = new UserLicenses
        {
            Id = "u2",
            AssignmentStates = new[] { new LicenseAssignment { SkuId = TestSkus.E5Id, AssignedByGroup = "g", State = "Error", Error = "CountViolation" } },
        };
        var seats = new GroupSeats(new Dictionary<Guid, int> { [TestSkus.E5Id] = 0 });

        var shortage = Assert.Single(seats.Shortages(GroupSeatNeed.Of(new[] { holder, inError }, new[] { TestSkus.E5Id })));

        Assert.Equal((1, 0), (shortage.Needed, shortage.Free));
    }
}
