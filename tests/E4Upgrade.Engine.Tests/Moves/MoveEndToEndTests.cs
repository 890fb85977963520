using System.Diagnostics;
using System.Text.Json;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Tests.Graph;
using E4Upgrade.Engine.Tests.Licensing;
using Xunit;
using Xunit.Abstractions;

namespace E4Upgrade.Engine.Tests.Moves;

/// <summary>
/// The engine through the real gateway (Microsoft.Graph SDK over loopback HTTP) against the Graph simulator, with its
/// write quota, throttle headers, latency and injected faults (504s and dropped connections that sometimes were applied).
/// Each test has a simulator of its own, so they run in parallel with the other tests; the throughput test, which
/// measures against the simulator's clock, is <see cref="MoveThroughputTests"/>.
/// </summary>
public class MoveEndToEndTests
{
    internal static readonly Guid E4 = new("1392051d-0cb9-4b7a-88d5-621fee5e8711");
    private static readonly Guid SpeE5 = new("06ebc4ee-1bb5-47dd-8120-11324bc54e06");
    private readonly ITestOutputHelper _output;

    public MoveEndToEndTests(ITestOutputHelper output) => _output = output;

    /// <summary>The simulator's default (ideal) profile has no replication lag: a re-read may follow a write at once.</summary>
    internal static MoveEngineSettings IdealProfile() => new() { ReplicationLag = TimeSpan.Zero };

    [Fact]
    public async Task Thousands_of_users_move_under_throttling_and_faults_each_written_once_and_never_unlicensed()
    {
        await using var sim = await SimulatorConnection.StartAsync(
            "e2e-token", "--users", "3000", "--write-limit", "1000/150", "--time-scale", "50", "--latency-ms", "200", "--fault-rate", "0.05", "--seed", "11");
        var before = await TenantUsers(sim);
        var directE4 = before.Where(u => u.Direct.ContainsKey(E4)).ToList();
        var engine = new LicenseMoveEngine(sim.Gateway, IdealProfile());

        var results = new List<MoveResult>();
        await foreach (var r in engine.MoveAsync(sim.Gateway.ListUsersWithSkuAsync(E4, CancellationToken.None), Options(o => o.UsageLocation = "US"), null, CancellationToken.None))
        {
            results.Add(r);
        }

        var stats = await sim.Simulator.GetStatsAsync();
        _output.WriteLine($"writes {stats.Writes}, 429s {stats.Throttled}, faults {stats.Faults}, dropped {stats.DroppedConnections}, license writes {stats.LicenseWrites}");
        Assert.True(stats.Faults > 50, "the run saw faults");
        Assert.Equal(3000, results.Count);
        Assert.Equal(3000, results.Select(r => r.UserId).Distinct().Count());
        Assert.Equal(directE4.Count, results.Count(r => r.Status == MoveStatus.Moved));
        Assert.All(results.Where(r => r.Status != MoveStatus.Moved), r => Assert.Equal(ErrorIds.InheritedFromGroup, r.Reason));
        Assert.Equal(0, stats.UsersEverUnlicensed);
        Assert.Equal(0, stats.UsersWithMultipleLicenseWrites);
        var writes = await sim.Simulator.GetAllLicenseWritesAsync();
        Assert.Equal(directE4.Count, writes.Count);
        Assert.All(writes.Values, n => Assert.Equal(1, n));

        var after = (await TenantUsers(sim)).ToDictionary(u => u.Id);
        // Mapped plans plus the dependency closure (a user with MCOSTANDARD off gets MCOEV and MCOMEETADV off too).
        var mapper = new CompoundPlanMapper(CatalogSkus.Get(CatalogSkus.E4), new CompoundTarget(new[] { CatalogSkus.Get(CatalogSkus.M365E5) }), new PlanDependencies());
        foreach (var user in directE4)
        {
            var now = after[user.Id];
            Assert.False(now.Direct.ContainsKey(E4), user.Upn);
            Assert.True(now.Direct.ContainsKey(SpeE5), user.Upn);
            var expected = mapper.Map(user.Direct[E4]).DisabledPlansOf(SpeE5);
            Assert.Equal(expected.OrderBy(x => x), now.Direct[SpeE5].OrderBy(x => x));
        }

        Assert.Contains(directE4, u => u.Direct[E4].Count > 0);
        Assert.Contains(before, u => u.UsageLocation == null && u.Direct.ContainsKey(E4));
        Assert.All(after.Values.Where(u => u.Direct.ContainsKey(SpeE5)), u => Assert.NotNull(u.UsageLocation));
    }

    [Fact]
    public async Task Users_named_by_upn_or_id_with_duplicates_and_unknowns_are_each_moved_once()
    {
        await using var sim = await SimulatorConnection.StartAsync(
            "e2e-token", "--users", "300", "--time-scale", "50", "--latency-ms", "200", "--fault-rate", "0.1", "--seed", "5");
        var users = (await TenantUsers(sim)).Where(u => u.Direct.ContainsKey(E4) && u.UsageLocation != null).Take(200).ToList();
        var input = users.Select(u => new UserReference(u.Upn))
            .Concat(users.Take(50).Select(u => new UserReference(u.Id)))
            .Concat(users.Take(30).Select(u => new UserReference(u.Upn.ToUpperInvariant())))
            .Append(new UserReference("nobody@contoso.onmicrosoft.com"))
            .Append(new UserReference("12345678-xyz"))
            .ToList();
        var engine = new LicenseMoveEngine(sim.Gateway, IdealProfile());

        var results = new List<MoveResult>();
        await foreach (var r in engine.MoveAsync(MoveHarness.Stream(input), Options(), null, CancellationToken.None))
        {
            results.Add(r);
        }

        var stats = await sim.Simulator.GetStatsAsync();
        Assert.Equal(input.Count, results.Count); // one result per input row
        Assert.Equal(200, results.Count(r => r.Status == MoveStatus.Moved));
        Assert.Equal(80, results.Count(r => r.Reason == ErrorIds.DuplicateInput && r.Status == MoveStatus.Skipped));
        Assert.Equal(ErrorIds.UserNotFound, results.Single(r => r.UserId == "nobody@contoso.onmicrosoft.com").Reason);
        Assert.Equal(ErrorIds.InvalidUserIdentity, results.Single(r => r.UserId == "12345678-xyz").Reason);
        Assert.Equal(0, stats.UsersWithMultipleLicenseWrites);
        Assert.Equal(0, stats.UsersEverUnlicensed);
        Assert.Equal(200, (await sim.Simulator.GetAllLicenseWritesAsync()).Count);
    }

    [Fact]
    public async Task A_token_revoked_mid_run_stops_it_cleanly_and_a_new_session_finishes_the_job()
    {
        await using var sim = await SimulatorConnection.StartAsync(
            "first-token", "--users", "600", "--write-limit", "300/150", "--time-scale", "50", "--latency-ms", "200", "--seed", "3");
        var direct = (await TenantUsers(sim)).Where(u => u.Direct.ContainsKey(E4)).ToList();
        var results = new List<MoveResult>();

        var error = await Assert.ThrowsAsync<E4UpgradeException>(async () =>
        {
            await foreach (var r in new LicenseMoveEngine(sim.Gateway, IdealProfile()).MoveAsync(sim.Gateway.ListUsersWithSkuAsync(E4, CancellationToken.None), Options(o => o.UsageLocation = "US"), null, CancellationToken.None))
            {
                results.Add(r);
                if (results.Count == 150)
                {
                    await sim.Simulator.RevokeTokenAsync("first-token");
                }
            }
        });

        Assert.Equal(ErrorIds.TokenExpired, error.ErrorId);
        Assert.InRange(results.Count, 150, 599);
        var writes = await sim.Simulator.GetAllLicenseWritesAsync();
        Assert.All(results.Where(r => r.Status == MoveStatus.Moved), r => Assert.Equal(1, writes[r.UserId]));

        await sim.Simulator.AddTokenAsync("second-token");
        using var second = await SimulatorConnection.ConnectAsync(sim.Simulator, "second-token", new List<string>());
        var resumed = new List<MoveResult>();
        await foreach (var r in new LicenseMoveEngine(second.Gateway, IdealProfile()).MoveAsync(second.Gateway.ListUsersWithSkuAsync(E4, CancellationToken.None), Options(o => o.UsageLocation = "US"), null, CancellationToken.None))
        {
            resumed.Add(r);
        }

        var stats = await sim.Simulator.GetStatsAsync();
        Assert.Equal(direct.Count, results.Concat(resumed).Count(r => r.Status == MoveStatus.Moved));
        Assert.Equal(0, stats.UsersWithMultipleLicenseWrites);
        Assert.Equal(0, stats.UsersEverUnlicensed);
        Assert.DoesNotContain((await TenantUsers(sim)), u => u.Direct.ContainsKey(E4));
    }

    [Fact]
    public async Task A_target_that_runs_out_of_seats_moves_what_fits_and_leaves_the_rest_on_E4()
    {
        await using var sim = await SimulatorConnection.StartAsync(
            "e2e-token", "--users", "300", "--target-seats", "100", "--time-scale", "50", "--seed", "9");
        var results = new List<MoveResult>();

        await foreach (var r in new LicenseMoveEngine(sim.Gateway, IdealProfile()).MoveAsync(sim.Gateway.ListUsersWithSkuAsync(E4, CancellationToken.None), Options(o => o.UsageLocation = "US"), null, CancellationToken.None))
        {
            results.Add(r);
        }

        var after = await TenantUsers(sim);
        Assert.Equal(100, results.Count(r => r.Status == MoveStatus.Moved));
        Assert.Equal(100, after.Count(u => u.Direct.ContainsKey(SpeE5)));
        Assert.Equal(after.Count(u => u.Direct.ContainsKey(E4)), results.Count(r => r.Reason == ErrorIds.InsufficientLicenses));
        Assert.Equal(300, results.Count);
        Assert.Equal(0, (await sim.Simulator.GetStatsAsync()).UsersEverUnlicensed);
    }

    internal static MoveOptions Options(Action<MoveOptions>? configure = null)
    {
        var options = new MoveOptions { FromSku = "ENTERPRISEWITHSCAL", ToSku = "SPE_E5" };
        configure?.Invoke(options);
        return options;
    }

    private static async Task<List<TenantUser>> TenantUsers(SimulatorConnection sim)
    {
        using var tenant = await sim.Simulator.GetTenantAsync();
        return tenant.RootElement.GetProperty("users").EnumerateArray().Select(u => new TenantUser(
            u.GetProperty("id").GetString()!,
            u.GetProperty("userPrincipalName").GetString()!,
            u.TryGetProperty("usageLocation", out var loc) && loc.ValueKind == JsonValueKind.String ? loc.GetString() : null,
            u.GetProperty("assignedLicenses").EnumerateArray().ToDictionary(
                l => l.GetProperty("skuId").GetGuid(),
                l => (IReadOnlyList<Guid>)l.GetProperty("disabledPlans").EnumerateArray().Select(p => p.GetGuid()).ToList()))).ToList();
    }

    private sealed record TenantUser(string Id, string Upn, string? UsageLocation, Dictionary<Guid, IReadOnlyList<Guid>> Direct);
}

/// <summary>
/// Not run in parallel with other tests: it measures throughput against the simulator's clock. It runs in build.ps1
/// Bench (trait Category=Throughput), not in Test. A one-off run of the ceiling test with 20,000 users at
/// --time-scale 10 measured a ratio of 0.989 with no 429.
/// </summary>
[Collection(MoveEndToEndCollection.Name)]
public class MoveThroughputTests
{
    private static readonly Guid E4 = MoveEndToEndTests.E4;
    private readonly ITestOutputHelper _output;

    public MoveThroughputTests(ITestOutputHelper output) => _output = output;

    private static MoveEngineSettings IdealProfile() => MoveEndToEndTests.IdealProfile();

    private static MoveOptions Options(Action<MoveOptions>? configure = null) => MoveEndToEndTests.Options(configure);

    // The ceiling ratio is printed, not asserted: throughput is the benchmark's to judge (build.ps1 Bench), since a
    // timed assertion fails on a busy CI machine for no product reason. The 429 share does not depend on load. It runs
    // in build.ps1 Bench with the other throughput tests, not in Test.
    [Fact]
    [Trait("Category", "Throughput")]
    public async Task Moves_thousands_under_Graphs_write_limit_with_few_429s()
    {
        const int users = 8000;
        const double timeScale = 25;
        await using var sim = await SimulatorConnection.StartAsync(
            "e2e-token", "--users", users.ToString(), "--time-scale", timeScale.ToString(), "--latency-ms", "300", "--seed", "21");
        var holders = new List<UserLicenses>();
        await foreach (var u in sim.Gateway.ListUsersWithSkuAsync(E4, CancellationToken.None))
        {
            holders.Add(u);
        }

        var stopwatch = Stopwatch.StartNew();
        var moved = 0;
        await foreach (var r in new LicenseMoveEngine(sim.Gateway, IdealProfile()).MoveAsync(MoveHarness.Stream(holders), Options(o => o.UsageLocation = "US"), null, CancellationToken.None))
        {
            moved += r.Status == MoveStatus.Moved ? 1 : 0;
        }

        stopwatch.Stop();
        var stats = await sim.Simulator.GetStatsAsync();
        var ideal = Math.Max(0, stats.Writes - 3000) * 150.0 / 3000 / timeScale;
        var ratio = ideal / stopwatch.Elapsed.TotalSeconds;
        _output.WriteLine($"{moved} moved, {stats.Writes} writes in {stopwatch.Elapsed.TotalSeconds:F1} s (ideal {ideal:F1} s, ratio {ratio:F3}), {stats.Throttled} answered 429");
        Assert.True(stats.Throttled < stats.Writes * 0.02, $"{stats.Throttled} of {stats.Writes} writes answered 429");
        Assert.Equal(0, stats.UsersEverUnlicensed);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MoveEndToEndCollection
{
    public const string Name = "Move engine end to end";
}
