using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Tests.Graph;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// The whole upgrade over real HTTP against the realistic profile with its 5xx (500, 502, 503, 504 on calls and batch
/// items, 502/504 writes that landed) and 429s whose write landed, raised well above the profile's rates so every kind
/// happens in one run of a fixed seed: nobody written twice, nobody reported Failed, nobody ever unlicensed.
/// </summary>
public sealed class ServerFailureSimulatorTests : IDisposable
{
    private static readonly Guid E4 = Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711");
    private static readonly Guid SpeE5 = Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4upgrade-5xx-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Under_5xx_and_429s_that_landed_no_user_is_written_twice_failed_while_on_the_target_or_unlicensed()
    {
        await using var connection = await SimulatorConnection.StartAsync("e2e-5xx-token",
            "--profile", "realistic", "--plan-status", "INTUNE_O365=default",
            "--server-error-rate", "0.05", "--landed-429-rate", "0.05",
            "--users", "600", "--time-scale", "50", "--latency-ms", "100", "--seed", "13");
        var engine = SimulatorEngineSettings.AtTimeScale50(TimeSpan.FromMilliseconds(2000 / 50 + 20));
        var options = new UpgradeOptions
        {
            TargetSku = "SPE_E5",
            TenantId = "11111111-1111-1111-1111-111111111111",
            JournalPath = Path.Combine(_dir, "journal.jsonl"),
            UsageLocation = "US",
            GroupPollInterval = TimeSpan.FromMilliseconds(50),
            GroupProcessingTimeout = TimeSpan.FromSeconds(120),
        };
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(connection.Gateway, engine).RunAsync(options, reporter, CancellationToken.None);

        var stats = await connection.Simulator.GetStatsAsync();
        Assert.True(stats.LandedThrottled > 0, "no 429 landed a write");
        Assert.True(stats.Faults > 0, "no 5xx was sent");
        Assert.Empty(reporter.Users.Where(u => u.Status == MoveStatus.Failed).Select(u => $"{u.UserPrincipalName}: {u.Reason} {u.Message}"));
        Assert.Equal(0, summary.Failed);
        Assert.Equal(0, stats.UsersWithMultipleLicenseWrites);
        Assert.Equal(0, stats.UsersEverUnlicensed);
        Assert.Equal(0, stats.EarlyRetries);
        Assert.Equal(570, summary.Moved + summary.AlreadyMoved); // 5% hold E4 only through groups
        Assert.Equal(570, stats.LicenseWrites);

        using var tenant = await connection.Simulator.GetTenantAsync();
        foreach (var user in tenant.RootElement.GetProperty("users").EnumerateArray())
        {
            var skus = user.GetProperty("licenseAssignmentStates").EnumerateArray()
                .Where(s => s.GetProperty("state").GetString() == "Active")
                .Select(s => Guid.Parse(s.GetProperty("skuId").GetString()!)).ToList();
            Assert.Contains(SpeE5, skus);
            Assert.DoesNotContain(E4, skus);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
