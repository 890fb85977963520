using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Tests.Graph;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// Group assignLicense refused at once by a dependency the engine could not know (the simulator refuses a group whose
/// own licenses lack an add-on's prerequisite): each group is reported with Graph's reason, and nobody loses E4.
/// </summary>
public sealed class GroupRefusalSimulatorTests : IDisposable
{
    private static readonly Guid E4 = Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4upgrade-grouprefusal-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_group_refused_synchronously_is_reported_with_the_reason_and_keeps_E4_for_its_members()
    {
        Directory.CreateDirectory(_dir);
        // Made up (no source): the target's Teams Phone plan needs E4's own voice plan, which the target lacks.
        var rules = Path.Combine(_dir, "rules.json");
        File.WriteAllText(rules, """
            { "source": "None: made up for this test.",
              "dependencies": [ { "plan": "MCOEV", "requiresAnyOf": [ "MCOVOICECONF" ], "source": "None: made up for this test." } ] }
            """);
        await using var connection = await SimulatorConnection.StartAsync("e2e-group-refusal",
            "--users", "60", "--time-scale", "50", "--seed", "17", "--extra-licensing-rules", rules, "--group-start-delay-ms", "0");
        var reporter = new RecordingReporter();
        var options = new UpgradeOptions
        {
            TargetSku = "SPE_E5",
            TenantId = "11111111-1111-1111-1111-111111111111",
            JournalPath = Path.Combine(_dir, "journal.jsonl"),
            UsageLocation = "US",
            GroupPollInterval = TimeSpan.FromMilliseconds(50),
            GroupProcessingTimeout = TimeSpan.FromSeconds(60),
        };
        var engine = SimulatorEngineSettings.AtTimeScale50(TimeSpan.Zero);

        var summary = await new UpgradeRunner(connection.Gateway, engine).RunAsync(options, reporter, CancellationToken.None);

        var stats = await connection.Simulator.GetStatsAsync();
        Assert.Equal(0, stats.UsersEverUnlicensed);
        Assert.Equal(3, reporter.Groups.Count);
        Assert.All(reporter.Groups, group =>
        {
            Assert.Equal(GroupUpgradeStatus.Failed, group.Status);
            Assert.Contains("depends on the service plan(s)", group.Message ?? "");
        });
        Assert.Equal(3, summary.GroupsFailed);

        using var tenant = await connection.Simulator.GetTenantAsync();
        foreach (var user in tenant.RootElement.GetProperty("users").EnumerateArray())
        {
            var active = user.GetProperty("licenseAssignmentStates").EnumerateArray().Count(s => s.GetProperty("state").GetString() == "Active");
            Assert.True(active > 0, user.GetProperty("userPrincipalName").GetString() + " holds no license");
        }

        foreach (var group in tenant.RootElement.GetProperty("groups").EnumerateArray())
        {
            var skus = group.GetProperty("assignedLicenses").EnumerateArray().Select(l => Guid.Parse(l.GetProperty("skuId").GetString()!)).ToList();
            Assert.Equal(new[] { E4 }, skus);
        }

        Assert.True(stats.DependencyViolations > 0, "no rule refusal happened");
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
