using E4Upgrade.Engine.Tests.Pacing;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// Runs that must end before a time: -MaxRunDuration (the summary continues) and an access token that cannot be
/// refreshed (TokenExpired before a write would be refused). Virtual time: the tests move the clock while the run writes.
/// </summary>
public sealed class RunDeadlineTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4deadline-" + Guid.NewGuid().ToString("N"));

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
        GroupProcessingTimeout = TimeSpan.FromHours(2),
    };

    private static FakeTenant Tenant(int direct, int groupMembers = 0)
    {
        var tenant = new FakeTenant { GroupProcessingPolls = 0 };
        tenant.Skus.Add(TestSkus.E4());
        tenant.Skus.Add(TestSkus.E5(enabled: 10_000));
        for (var i = 0; i < direct; i++)
        {
            tenant.AddUser($"direct{i}@contoso.com", TestSkus.E4Id);
        }

        if (groupMembers > 0)
        {
            var members = Enumerable.Range(0, groupMembers).Select(i => tenant.AddUser($"member{i}@contoso.com")).ToList();
            tenant.AddGroup("E4 staff", TestSkus.E4Id, members);
        }

        return tenant;
    }

    /// <summary>The clock jumps by <paramref name="jump"/> right after the <paramref name="at"/>th write; returns the clock times of all writes.</summary>
    private static List<TimeSpan> JumpAfterWrite(FakeTenant tenant, ManualClock clock, int at, TimeSpan jump)
    {
        var times = new List<TimeSpan>();
        var writes = 0;
        tenant.Intercept = _ =>
        {
            lock (times) times.Add(clock.Now);
            return null;
        };
        tenant.AfterWrite = _ =>
        {
            if (Interlocked.Increment(ref writes) == at) clock.Advance(jump);
        };
        return times;
    }

    private static void AssertNobodyUnlicensed(FakeTenant tenant)
    {
        foreach (var user in tenant.Users.Values)
        {
            Assert.True(tenant.Holds(user, TestSkus.E4Id) || tenant.Holds(user, TestSkus.E5Id), user.Upn + " holds neither E4 nor the target");
        }
    }

    private static void AssertAllOnTarget(FakeTenant tenant)
    {
        foreach (var user in tenant.Users.Values)
        {
            Assert.False(tenant.Holds(user, TestSkus.E4Id), user.Upn + " still holds E4");
            Assert.True(tenant.Holds(user, TestSkus.E5Id), user.Upn + " lacks the target");
        }
    }

    [Fact]
    public async Task At_MaxRunDuration_the_run_stops_between_batches_says_it_continues_and_the_next_run_finishes()
    {
        var tenant = Tenant(direct: 200);
        var clock = new ManualClock();
        var times = JumpAfterWrite(tenant, clock, at: 70, jump: TimeSpan.FromHours(2));
        var options = Options();
        options.MaxRunDuration = TimeSpan.FromHours(1);
        var reporter = new RecordingReporter();
        var startedAt = DateTimeOffset.UtcNow;

        var first = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine(), clock).RunAsync(options, reporter, CancellationToken.None);

        Assert.True(first.Continues);
        Assert.Equal("Continues", first.State);
        Assert.False(first.Succeeded);
        Assert.Equal(0, first.Failed);
        Assert.True(first.Moved >= 70 && first.Moved < 200, $"moved {first.Moved}");
        Assert.Equal(200 - first.Moved, first.LeftForNextRun);
        Assert.NotNull(first.NextRunAfter);
        // The time of day by the engine's clock: when the run started plus the time the clock says passed.
        Assert.InRange(first.NextRunAfter!.Value, startedAt + clock.Now, DateTimeOffset.UtcNow + clock.Now);
        // Only the batch in flight when the hour passed was still sent (a $batch holds at most 20 writes).
        Assert.InRange(times.Count(t => t >= TimeSpan.FromHours(1)), 0, 19);
        AssertNobodyUnlicensed(tenant);

        tenant.Intercept = null;
        tenant.AfterWrite = null;
        var second = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine(), new ManualClock()).RunAsync(Options(), null, CancellationToken.None);

        Assert.Equal("Completed", second.State);
        Assert.True(second.Resumed);
        AssertAllOnTarget(tenant);
        Assert.All(tenant.LicenseWrites.Values, n => Assert.Equal(1, n));
        Assert.Equal(200, JournalState.Read(second.JournalPath!).DoneUsers);
    }

    [Fact]
    public async Task A_group_still_processing_at_MaxRunDuration_is_left_as_sent_and_checked_by_the_next_run()
    {
        var tenant = Tenant(direct: 0, groupMembers: 4);
        tenant.GroupProcessingPolls = 1_000_000;
        var clock = new ManualClock();
        var options = Options();
        options.MaxRunDuration = TimeSpan.FromMinutes(5);
        var startedAt = DateTimeOffset.UtcNow;

        var first = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine(), clock).RunAsync(options, null, CancellationToken.None);

        Assert.Equal("Continues", first.State);
        Assert.Equal(1, tenant.GroupWrites);
        // Not waited for: the run ended at its limit, far before the group's 2-hour timeout.
        Assert.InRange(clock.Now, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(6));
        Assert.InRange(first.NextRunAfter!.Value, startedAt + clock.Now + TimeSpan.FromSeconds(25), DateTimeOffset.UtcNow + clock.Now + TimeSpan.FromSeconds(31));
        Assert.Equal(1, JournalState.Read(first.JournalPath!).GroupsToVerify.Count);

        tenant.GroupProcessingPolls = 0;
        var second = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine(), new ManualClock()).RunAsync(Options(), null, CancellationToken.None);

        Assert.Equal(1, tenant.GroupWrites);
        Assert.Equal(4, second.GroupMembersMoved);
        Assert.Equal("Completed", second.State);
        AssertAllOnTarget(tenant);
    }

    [Fact]
    public async Task An_access_token_about_to_expire_stops_the_run_with_TokenExpired_before_its_next_batch_and_the_next_run_resumes()
    {
        var tenant = Tenant(direct: 200);
        var clock = new ManualClock();
        // The token is valid for an hour; 58 minutes pass after the 70th write, inside the 3-minute margin.
        var times = JumpAfterWrite(tenant, clock, at: 70, jump: TimeSpan.FromMinutes(58));
        var options = Options();
        options.TokenExpiresOn = DateTimeOffset.UtcNow.AddHours(1);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine(), clock).RunAsync(options, null, CancellationToken.None));

        Assert.Equal(ErrorIds.TokenExpired, error.ErrorId);
        Assert.Contains("run the same command", error.Message);
        Assert.InRange(tenant.LicenseWrites.Count, 70, 89);
        Assert.InRange(times.Count(t => t >= TimeSpan.FromMinutes(57)), 0, 19);
        AssertNobodyUnlicensed(tenant);

        tenant.Intercept = null;
        tenant.AfterWrite = null;
        var fresh = Options();
        fresh.TokenExpiresOn = DateTimeOffset.UtcNow.AddHours(1);
        var second = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine(), new ManualClock()).RunAsync(fresh, null, CancellationToken.None);

        Assert.True(second.Resumed);
        Assert.True(second.Succeeded);
        AssertAllOnTarget(tenant);
        Assert.All(tenant.LicenseWrites.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task A_token_that_ends_before_the_estimated_run_is_warned_about_and_no_write_goes_with_it()
    {
        var tenant = Tenant(direct: 20);
        var options = Options();
        options.TokenExpiresOn = DateTimeOffset.UtcNow.AddMinutes(2);
        var reporter = new RecordingReporter();

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine(), new ManualClock()).RunAsync(options, reporter, CancellationToken.None));

        Assert.Equal(ErrorIds.TokenExpired, error.ErrorId);
        Assert.Empty(tenant.LicenseWrites);
        Assert.Contains(reporter.Warnings, w => w.Contains("expires at", StringComparison.Ordinal) && w.Contains("before the estimated end", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_token_expiry_is_measured_on_the_engines_clock_not_the_machines()
    {
        var tenant = Tenant(direct: 20);
        var clock = new ManualClock();
        var runner = new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine(), clock);
        var options = Options();
        options.TokenExpiresOn = DateTimeOffset.UtcNow.AddHours(1);
        // By the engine's clock 58 minutes pass before the run starts: the token is inside its 3-minute margin.
        clock.Advance(TimeSpan.FromMinutes(58));

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => runner.RunAsync(options, null, CancellationToken.None));

        Assert.Equal(ErrorIds.TokenExpired, error.ErrorId);
        Assert.Empty(tenant.LicenseWrites);
    }

    [Fact]
    public async Task A_token_that_outlives_the_run_changes_nothing()
    {
        var tenant = Tenant(direct: 30);
        var options = Options();
        options.TokenExpiresOn = DateTimeOffset.UtcNow.AddHours(1);
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine(), new ManualClock()).RunAsync(options, reporter, CancellationToken.None);

        Assert.Equal("Completed", summary.State);
        Assert.Null(summary.NextRunAfter);
        Assert.DoesNotContain(reporter.Warnings, w => w.Contains("expires at", StringComparison.Ordinal));
        AssertAllOnTarget(tenant);
    }
}
