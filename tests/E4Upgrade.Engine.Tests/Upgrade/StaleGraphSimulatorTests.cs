using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Tests.Graph;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// The realistic profile's staleness and member states end to end: a long-tailed replication lag, consumedUnits that
/// lags, the usage location read stale after the PATCH, and members of two groups that Entra marks ActiveWithError
/// until it retries. Every user ends on the target, none is reported Failed, none is ever unlicensed or written twice.
/// </summary>
public sealed class StaleGraphSimulatorTests : IDisposable
{
    private static readonly Guid E4 = Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711");
    private static readonly Guid SpeE5 = Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4upgrade-stale-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task An_upgrade_under_long_tailed_staleness_and_concurrent_group_assignments_reports_every_user_as_it_is()
    {
        // At --time-scale 50 the lag is 20 ms median, 200 ms at the 99th percentile, 800 ms at most; Entra's concurrency
        // retry comes 600 ms after a member's second group is processed, so a member of two groups is ActiveWithError
        // for longer than the engine's lag and must not be reported Failed.
        await using var connection = await SimulatorConnection.StartAsync("e2e-stale-token",
            "--users", "400", "--time-scale", "50", "--seed", "13", "--group-delay-ms", "0",
            "--replication-lag-ms", "1000", "--replication-lag-p99-ms", "10000", "--consumed-units-lag", "on",
            "--stale-usage-location", "on", "--group-concurrency-retry-ms", "30000");
        var reporter = new RecordingReporter();
        var options = new UpgradeOptions
        {
            TargetSku = "SPE_E5",
            TenantId = "c0c0c0c0-0000-4000-8000-000000000013",
            JournalPath = Path.Combine(_dir, "journal.jsonl"),
            UsageLocation = "US",
            GroupPollInterval = TimeSpan.FromMilliseconds(50),
            GroupProcessingTimeout = TimeSpan.FromSeconds(60),
        };
        var engine = SimulatorEngineSettings.AtTimeScale50(TimeSpan.FromMilliseconds(200));

        var summary = await new UpgradeRunner(connection.Gateway, engine).RunAsync(options, reporter, CancellationToken.None);

        var stats = await connection.Simulator.GetStatsAsync();
        Assert.True(stats.ReadsStale > 0, "no read was stale");
        Assert.Empty(reporter.Users.Where(u => u.Status == MoveStatus.Failed).Select(u => $"{u.UserPrincipalName}: {u.Reason} {u.Message}"));
        Assert.Equal((0L, 0L), (summary.Failed, summary.GroupMembersFailed));
        Assert.Equal(3, summary.GroupsSwapped);
        Assert.Equal(0, stats.UsersEverUnlicensed);
        Assert.Equal(0, stats.UsersWithMultipleLicenseWrites);
        Assert.Contains(reporter.Users, u => u.Status == MoveStatus.Moved && u.GroupId != null && (u.Message ?? "").Contains("ActiveWithError"));

        using var tenant = await connection.Simulator.GetTenantAsync();
        foreach (var user in tenant.RootElement.GetProperty("users").EnumerateArray())
        {
            var skus = user.GetProperty("licenseAssignmentStates").EnumerateArray().Select(s => Guid.Parse(s.GetProperty("skuId").GetString()!)).ToList();
            Assert.DoesNotContain(E4, skus);
            Assert.Contains(SpeE5, skus);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
