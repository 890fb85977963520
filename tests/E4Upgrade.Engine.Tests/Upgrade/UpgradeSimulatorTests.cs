using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Tests.Graph;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// End to end over real HTTP: GraphConnector + GraphLicensingGateway + the Graph SDK against the in-process simulator
/// with a generated tenant (direct users, users without usage location, users licensed through one or two groups).
/// </summary>
public sealed class UpgradeSimulatorTests : IDisposable
{
    private static readonly Guid E4 = Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711");
    private static readonly Guid SpeE5 = Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4upgrade-e2e-" + Guid.NewGuid().ToString("N"));

    private UpgradeOptions Options() => new()
    {
        TargetSku = "SPE_E5",
        TenantId = "c0c0c0c0-0000-4000-8000-000000000001",
        JournalPath = Path.Combine(_dir, "journal.jsonl"),
        UsageLocation = "US", // 1% of the generated users have none
        GroupPollInterval = TimeSpan.FromMilliseconds(50),
        GroupProcessingTimeout = TimeSpan.FromSeconds(60),
    };

    // The simulator's ceiling under --time-scale 50 is 20 x 50 writes/s; start the pacer there as it would start at 20 unscaled.
    private static MoveEngineSettings Engine() => new()
    {
        Pacer = { InitialWritesPerSecond = 1000, MaxWritesPerSecond = 5000 },
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        ReplicationLag = TimeSpan.Zero, // the simulator's default (ideal) profile has none
    };

    [Fact]
    public async Task A_full_upgrade_moves_direct_and_group_users_once_and_never_unlicenses_anyone()
    {
        await using var connection = await SimulatorConnection.StartAsync("e2e-upgrade-token",
            "--users", "2000", "--time-scale", "50", "--latency-ms", "200", "--seed", "7");
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(connection.Gateway, Engine()).RunAsync(Options(), reporter, CancellationToken.None);

        var stats = await connection.Simulator.GetStatsAsync();
        Assert.Equal(0, stats.UsersEverUnlicensed);
        Assert.Equal(0, stats.UsersWithMultipleLicenseWrites);
        Assert.Equal(0, summary.Failed);
        Assert.Equal(3, summary.GroupsSwapped);
        Assert.Equal(0, summary.GroupMembersFailed);
        Assert.True(summary.Succeeded);
        Assert.Equal(1900, summary.Moved); // 5% hold E4 only through groups
        Assert.Equal(1900, stats.LicenseWrites);
        await AssertEveryoneOnTargetAsync(connection);

        // Stop-E4Subscription now finds E4 free.
        var state = await new SubscriptionCloser(connection.Gateway).CloseAsync(null, CancellationToken.None);
        Assert.True(state.ReadyToCancel);
        Assert.Equal(0, state.Consumed);
    }

    // Races real time: a read is stale only if it comes within the replication lag of its write, which a machine busy
    // with other tests cannot promise (it failed so beside Pester). build.ps1 Test runs this trait on its own, after the rest.
    [Fact]
    [Trait("Category", "RealTime")]
    public async Task Under_the_realistic_profile_stale_reads_and_faults_give_no_false_failure_and_no_second_write_after_a_success()
    {
        // Realistic: replication lag, refused writes charged, resource units, other apps' writes, spurious 429s.
        // INTUNE_O365 PendingActivation is left out: it is eligibility's test.
        await using var connection = await SimulatorConnection.StartAsync("e2e-realistic-token",
            "--profile", "realistic", "--plan-status", "INTUNE_O365=default",
            "--users", "1000", "--time-scale", "50", "--latency-ms", "100", "--fault-rate", "0.03", "--seed", "5");
        var engine = Engine();
        engine.ReplicationLag = TimeSpan.FromMilliseconds(2000 / 50 + 20);
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(connection.Gateway, engine).RunAsync(Options(), reporter, CancellationToken.None);

        var stats = await connection.Simulator.GetStatsAsync();
        Assert.Equal("realistic", stats.Profile);
        Assert.True(stats.ReadsStale > 0, "no read was stale: the replication lag was not exercised");
        Assert.True(stats.Faults > 0, "no fault was injected");
        Assert.Empty(reporter.Users.Where(u => u.Status == MoveStatus.Failed).Select(u => $"{u.UserPrincipalName}: {u.Reason} {u.Message}"));
        Assert.Equal(0, summary.Failed);
        Assert.Equal(0, stats.UsersEverUnlicensed);
        Assert.Equal(0, stats.UsersWithMultipleLicenseWrites);
        Assert.Equal(0, stats.EarlyRetries);
        await AssertEveryoneOnTargetAsync(connection);
    }

    [Fact]
    public async Task Too_few_target_seats_accepted_leaves_nobody_unlicensed()
    {
        // 200 users, 10 of them through groups; 195 seats: the direct users take their seats first, so the groups are short.
        await using var connection = await SimulatorConnection.StartAsync("e2e-seats-token",
            "--users", "200", "--target-seats", "195", "--time-scale", "50", "--seed", "7");
        var options = Options();
        options.AcceptedFindings = new[] { FindingCodes.InsufficientTargetSeats };

        var summary = await new UpgradeRunner(connection.Gateway, Engine()).RunAsync(options, new RecordingReporter(), CancellationToken.None);

        var stats = await connection.Simulator.GetStatsAsync();
        Assert.Equal(0, stats.UsersEverUnlicensed);
        Assert.True(summary.GroupsFailed > 0, "a group short of seats must be refused, not swapped");
        Assert.False(summary.Succeeded);
    }

    [Fact]
    public async Task A_seat_count_read_that_lags_the_direct_moves_does_not_send_a_group_swap_without_seats()
    {
        // As above, but every subscribedSkus read shows consumedUnits as it stood 10 minutes (Graph time) ago, before the
        // direct moves took their seats: the group phase must not believe the seats the direct phase took are free.
        await using var connection = await SimulatorConnection.StartAsync("e2e-lagging-seats-token",
            "--users", "200", "--target-seats", "195", "--time-scale", "50", "--seed", "7", "--consumed-units-lag", "600000");
        var options = Options();
        options.AcceptedFindings = new[] { FindingCodes.InsufficientTargetSeats };

        var summary = await new UpgradeRunner(connection.Gateway, Engine()).RunAsync(options, new RecordingReporter(), CancellationToken.None);

        var stats = await connection.Simulator.GetStatsAsync();
        Assert.True(stats.ReadsStale > 0, "no seat read lagged");
        Assert.Equal(0, stats.UsersEverUnlicensed);
        Assert.True(summary.GroupsFailed > 0, "a group short of seats must be refused, not swapped");
    }

    [Fact]
    public async Task A_run_cancelled_mid_way_and_run_again_moves_every_user_exactly_once()
    {
        await using var connection = await SimulatorConnection.StartAsync("e2e-resume-token",
            "--users", "2000", "--time-scale", "50", "--latency-ms", "200", "--seed", "11");
        using var cts = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!cts.IsCancellationRequested)
            {
                if ((await connection.Simulator.GetStatsAsync()).LicenseWrites >= 600)
                {
                    cts.Cancel();
                    return;
                }

                await Task.Delay(10);
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new UpgradeRunner(connection.Gateway, Engine()).RunAsync(Options(), null, cts.Token));
        await watcher;
        var between = await connection.Simulator.GetStatsAsync();
        Assert.InRange(between.LicenseWrites, 600, 1899);

        var summary = await new UpgradeRunner(connection.Gateway, Engine()).RunAsync(Options(), null, CancellationToken.None);

        var stats = await connection.Simulator.GetStatsAsync();
        Assert.True(summary.Resumed);
        Assert.Equal(0, summary.Failed);
        Assert.Equal(1900, stats.LicenseWrites);
        Assert.Equal(0, stats.UsersWithMultipleLicenseWrites);
        Assert.Equal(0, stats.UsersEverUnlicensed);
        Assert.Equal(1900, summary.Moved + summary.AlreadyMoved + summary.DoneEarlier);
        Assert.Equal(3, summary.GroupsSwapped);
        Assert.Equal(1900, JournalState.Read(summary.JournalPath!).DoneUsers);
        await AssertEveryoneOnTargetAsync(connection);
    }

    [Fact]
    public async Task Plan_mode_against_the_simulator_changes_nothing()
    {
        await using var connection = await SimulatorConnection.StartAsync("e2e-plan-token", "--users", "300", "--time-scale", "50");
        var options = Options();
        options.PlanOnly = true;
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(connection.Gateway, Engine()).RunAsync(options, reporter, CancellationToken.None);

        var stats = await connection.Simulator.GetStatsAsync();
        Assert.Equal(0, stats.Writes);
        Assert.Equal(285, summary.WouldMove);
        Assert.Equal(3, reporter.Groups.Count(g => g.Status == GroupUpgradeStatus.WouldSwap));
        Assert.False(File.Exists(options.JournalPath));
    }

    private static async Task AssertEveryoneOnTargetAsync(SimulatorConnection connection)
    {
        using var tenant = await connection.Simulator.GetTenantAsync();
        var users = tenant.RootElement.GetProperty("users").EnumerateArray().ToList();
        Assert.Equal((await connection.Simulator.GetStatsAsync()).Users, users.Count);
        foreach (var user in users)
        {
            var states = user.GetProperty("licenseAssignmentStates").EnumerateArray()
                .Select(s => (Sku: Guid.Parse(s.GetProperty("skuId").GetString()!), State: s.GetProperty("state").GetString()))
                .ToList();
            var upn = user.GetProperty("userPrincipalName").GetString();
            Assert.DoesNotContain(states, s => s.Sku == E4);
            Assert.Contains(states, s => s.Sku == SpeE5 && s.State == "Active");
            Assert.True(states.Count > 0, upn);
        }

        foreach (var group in tenant.RootElement.GetProperty("groups").EnumerateArray())
        {
            var skus = group.GetProperty("assignedLicenses").EnumerateArray().Select(l => Guid.Parse(l.GetProperty("skuId").GetString()!)).ToList();
            Assert.DoesNotContain(E4, skus);
            Assert.Contains(SpeE5, skus);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
