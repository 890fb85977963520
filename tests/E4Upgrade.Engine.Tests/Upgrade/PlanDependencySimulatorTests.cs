using System.Text.Json.Nodes;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Tests.Graph;
using E4Upgrade.Engine.Upgrade;
using E4Upgrade.GraphSimulator.Licensing;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// Plan dependencies end to end: the Graph SDK against the simulator under the realistic profile, which enforces its own
/// sourced rules (its Data/licensing-rules.json, a model independent of the engine's) and, where a test adds them, rules
/// no source names.
/// </summary>
public sealed class PlanDependencySimulatorTests : IDisposable
{
    private static readonly Guid E4 = Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711");
    private static readonly Guid SpeE5 = Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06");
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "e4deps-e2e-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Guid Plan(string name) => SkuCatalog.Shared.PlanId(name)!.Value;

    private static JsonObject User(int n, params string[] disabledOnE4) => new()
    {
        ["id"] = UserId(n).ToString(),
        ["userPrincipalName"] = $"person{n}@contoso.onmicrosoft.com",
        ["usageLocation"] = "US",
        ["assignedLicenses"] = new JsonArray(new JsonObject
        {
            ["skuId"] = E4.ToString(),
            ["disabledPlans"] = new JsonArray(disabledOnE4.Select(p => (JsonNode?)Plan(p).ToString()).ToArray()),
        }),
    };

    private static Guid UserId(int n) => Guid.Parse($"00000000-0000-4000-8000-{n:D12}");

    private string TenantFile(params JsonObject[] users)
    {
        var path = Path.Combine(_dir, "tenant.json");
        File.WriteAllText(path, new JsonObject
        {
            ["subscribedSkus"] = new JsonArray(
                new JsonObject { ["skuPartNumber"] = "ENTERPRISEWITHSCAL", ["seats"] = 50 },
                new JsonObject { ["skuPartNumber"] = "SPE_E5", ["seats"] = 50 }),
            ["users"] = new JsonArray(users.Cast<JsonNode?>().ToArray()),
            ["groups"] = new JsonArray(),
        }.ToJsonString());
        return path;
    }

    private Task<SimulatorConnection> StartAsync(string token, string tenantFile, params string[] more) =>
        SimulatorConnection.StartAsync(token, new[] { "--profile", "realistic", "--tenant", tenantFile, "--time-scale", "50", "--seed", "3" }.Concat(more).ToArray());

    private Task<UpgradeSummary> RunAsync(SimulatorConnection connection, RecordingReporter reporter, string? usageLocation = null)
    {
        var engine = SimulatorEngineSettings.AtTimeScale50(TimeSpan.FromMilliseconds(2000 / 50 + 20)); // the realistic profile's 2 s of lag at --time-scale 50
        return new UpgradeRunner(connection.Gateway, engine).RunAsync(new UpgradeOptions
        {
            TargetSku = "SPE_E5",
            TenantId = "c0c0c0c0-0000-4000-8000-000000000001",
            JournalPath = Path.Combine(_dir, "journal.jsonl"),
            UsageLocation = usageLocation, // 1% of the generated users have none
            GroupPollInterval = TimeSpan.FromMilliseconds(50),
            GroupProcessingTimeout = TimeSpan.FromSeconds(120),
        }, reporter, CancellationToken.None);
    }

    private static async Task<IReadOnlyList<Guid>> DisabledOnE5Async(SimulatorConnection connection, int user)
    {
        using var tenant = await connection.Simulator.GetTenantAsync();
        var state = tenant.RootElement.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("id").GetString() == UserId(user).ToString());
        var e5 = state.GetProperty("assignedLicenses").EnumerateArray().Single(l => l.GetProperty("skuId").GetString() == SpeE5.ToString());
        return e5.GetProperty("disabledPlans").EnumerateArray().Select(p => Guid.Parse(p.GetString()!)).ToList();
    }

    private static async Task<IReadOnlyList<Guid>> SkusOfAsync(SimulatorConnection connection, int user)
    {
        using var tenant = await connection.Simulator.GetTenantAsync();
        var state = tenant.RootElement.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("id").GetString() == UserId(user).ToString());
        return state.GetProperty("assignedLicenses").EnumerateArray().Select(l => Guid.Parse(l.GetProperty("skuId").GetString()!)).ToList();
    }

    [Fact]
    public async Task Users_whose_disabled_plans_trigger_several_sourced_rules_all_move_without_one_dependency_400()
    {
        var tenant = TenantFile(
            User(1, "EXCHANGE_S_ENTERPRISE"),          // Defender for Office 365 P1 and P2 need a mailbox plan
            User(2, "TEAMS1", "MCOSTANDARD"),          // Teams Phone and Audio Conferencing need Teams or Skype
            User(3, "MCOSTANDARD"),                    // Teams is enough: nothing is taken away
            User(4, "EXCHANGE_S_ENTERPRISE", "TEAMS1", "MCOSTANDARD", "SWAY"),
            User(5),
            User(6, "SWAY"));
        await using var connection = await StartAsync("e2e-deps-sourced", tenant);
        var reporter = new RecordingReporter();

        var summary = await RunAsync(connection, reporter);

        var stats = await connection.Simulator.GetStatsAsync();
        Assert.Equal("realistic", stats.Profile);
        Assert.Equal(0, stats.DependencyViolations);
        Assert.Equal(6, summary.Moved);
        Assert.All(reporter.Users, u => Assert.Equal(1, u.Attempts));
        Assert.Equal(0, stats.UsersEverUnlicensed);
        Assert.Equal(new[] { "ATP_ENTERPRISE", "THREAT_INTELLIGENCE" }, Adjusted(reporter, 1));
        Assert.Equal(new[] { "MCOEV", "MCOMEETADV" }, Adjusted(reporter, 2));
        Assert.Empty(Adjusted(reporter, 3));
        Assert.Equal(new[] { "ATP_ENTERPRISE", "MCOEV", "MCOMEETADV", "THREAT_INTELLIGENCE" }, Adjusted(reporter, 4));
        Assert.Contains(Plan("ATP_ENTERPRISE"), await DisabledOnE5Async(connection, 1));
        var skypeOff = await DisabledOnE5Async(connection, 3);
        Assert.DoesNotContain(Plan("MCOEV"), skypeOff);
        Assert.DoesNotContain(Plan("MCOMEETADV"), skypeOff);
    }

    [Fact]
    public async Task The_benchmarks_generated_tenant_moves_everyone_without_a_dependency_400()
    {
        // As Bench: 5% of the users hold E4 with 1 to 3 plans disabled (a state E4 itself allows), moved to M365 E5.
        await using var connection = await SimulatorConnection.StartAsync("e2e-deps-generated",
            "--profile", "realistic", "--users", "1000", "--time-scale", "50", "--seed", "5");
        var reporter = new RecordingReporter();

        var summary = await RunAsync(connection, reporter, usageLocation: "US");

        var stats = await connection.Simulator.GetStatsAsync();
        Assert.Equal(0, stats.DependencyViolations);
        Assert.Empty(reporter.Users.Where(u => u.Status == MoveStatus.Failed).Select(u => $"{u.UserPrincipalName}: {u.Reason} {u.Message}"));
        Assert.Contains(reporter.Users, u => u.AdjustedPlans.Any(a => a.StartsWith("ATP_ENTERPRISE", StringComparison.Ordinal)));
        Assert.Equal(0, summary.Failed);
        Assert.Equal(0, stats.UsersEverUnlicensed);
    }

    [Fact]
    public async Task A_user_needing_two_rules_nobody_published_ends_PlanDependencyRejected_with_E4_kept()
    {
        // Made-up rules the engine cannot know: the simulator names them one at a time, in 400s.
        var rules = Path.Combine(_dir, "unknown-rules.json");
        File.WriteAllText(rules, """
            { "dependencies": [
              { "plan": "WHITEBOARD_PLAN3", "requiresAnyOf": [ "SWAY" ], "source": "None: made up for this test." },
              { "plan": "MICROSOFT_LOOP", "requiresAnyOf": [ "PROJECTWORKMANAGEMENT" ], "source": "None: made up for this test." } ] }
            """);
        var tenant = TenantFile(User(1, "SWAY", "PROJECTWORKMANAGEMENT"), User(2, "EXCHANGE_S_ENTERPRISE"), User(3));
        await using var connection = await StartAsync("e2e-deps-unknown", tenant, "--extra-licensing-rules", rules);
        var reporter = new RecordingReporter();

        var summary = await RunAsync(connection, reporter);

        var stats = await connection.Simulator.GetStatsAsync();
        var refused = reporter.Users.Single(u => u.UserId == UserId(1).ToString());
        Assert.Equal(MoveStatus.Failed, refused.Status);
        Assert.Equal(ErrorIds.PlanDependencyRejected, refused.Reason);
        Assert.Equal(2, refused.Attempts); // one retry, never a third write
        Assert.Equal(new[] { E4 }, await SkusOfAsync(connection, 1));
        Assert.Equal(2, stats.DependencyViolations);
        Assert.Equal(0, stats.UsersEverUnlicensed);
        Assert.Equal(2, summary.Moved); // the sourced rule (user 2) still costs no 400
    }

    private static IReadOnlyList<string> Adjusted(RecordingReporter reporter, int user) =>
        reporter.Users.Single(u => u.UserId == UserId(user).ToString()).AdjustedPlans.Select(a => a.Split(' ')[0]).OrderBy(p => p, StringComparer.Ordinal).ToList();
}
