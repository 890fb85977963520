using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using E4Upgrade.Benchmark.Cli;
using E4Upgrade.Benchmark.Simulator;

namespace E4Upgrade.Benchmark.Orchestration;

/// <summary>What "run" measures and where; defaults are the documented benchmark (tests/E4Upgrade.Benchmark/performance.md).</summary>
public sealed class BenchmarkOptions
{
    public required string PwshDll { get; init; }
    public required string ModulePath { get; init; }
    public required string SimulatorDll { get; init; }
    public required string OutputDirectory { get; init; }

    /// <summary>Users to move in the throughput runs: the first this many direct E4 holders of the generated tenant.</summary>
    public required int UsersToMove { get; init; }

    /// <summary>
    /// The throughput runs, one per profile in this order (realistic first, then ideal for comparison): Graph's default
    /// write limits under a time scale; the realistic one also charges refused writes, lets other apps use 10% of the
    /// tenant-wide write rate, sends 0.5% spurious 429s and meters reads in resource units, on top of the simulator's
    /// realistic profile (replication lag, licensing rules, INTUNE_O365 PendingActivation, slow group processing).
    /// </summary>
    public required IReadOnlyList<SimulatorSettings> Throughput { get; init; }

    public int Seed { get; init; }

    /// <summary>Users the per-user loop runs on (it is latency-bound, so its rate is the same on a sample).</summary>
    public int LoopSample { get; init; }

    /// <summary>Users the batch script runs on; 0 = every E4 holder.</summary>
    public int BatchSample { get; init; }

    public int MemorySmallUsers { get; init; }
    public int MemoryLargeUsers { get; init; }

    /// <summary>Strategies to run, by name (all by default); for quick local loops.</summary>
    public required IReadOnlySet<string> Strategies { get; init; }

    /// <summary>Users of the generated tenant for the scale section (issue 3's start and listing, issue 5's eligibility); 0 skips it.</summary>
    public int ScaleUsers { get; init; }

    /// <summary>Users in the tenant of the sandbox section (pwsh peak working set of Start-E4Upgrade); 0 skips it.</summary>
    public int SandboxUsers { get; init; }

    /// <summary>Sections to run: Throughput, Memory, Scale, Groups, Sandbox (all by default); for quick local loops.</summary>
    public required IReadOnlySet<string> Sections { get; init; }

    public bool Runs(string section) => Sections.Contains(section);

    /// <summary>Longest the memory and scale runs may take before the benchmark gives up (throughput runs have budgets of their own).</summary>
    public int StrategyTimeoutSeconds { get; init; }

    /// <summary>Share of the tenant-wide write rate other apps use in the realistic run.</summary>
    private const double BackgroundShare = 0.1;

    /// <summary>
    /// The generated tenant has some users licensed only through groups (one in twenty) who are not moved directly,
    /// so it is generated a little larger than the number of users to move.
    /// </summary>
    private const double TenantSizeFactor = 1.1;

    public static BenchmarkOptions From(ArgumentMap args) => From(args, args.Int("users", 20000));

    private static BenchmarkOptions From(ArgumentMap args, int usersToMove) => new()
    {
        UsersToMove = usersToMove,
        PwshDll = Path.GetFullPath(args.Required("pwsh")),
        ModulePath = Path.GetFullPath(args.Required("module")),
        SimulatorDll = Path.GetFullPath(args.Required("simulator")),
        OutputDirectory = Path.GetFullPath(args.Required("output")),
        Throughput = NameList(args.Optional("profiles") ?? $"{SimulatorSettings.Realistic},{SimulatorSettings.Ideal}")
            .Select(profile => ThroughputSettings(args, usersToMove, profile)).ToList(),
        Seed = args.Int("seed", 1),
        LoopSample = args.Int("loop-sample", 1000),
        BatchSample = args.Int("batch-sample", 0),
        MemorySmallUsers = args.Int("memory-small", 10000),
        MemoryLargeUsers = args.Int("memory-large", 100000),
        ScaleUsers = args.Int("scale-users", 100000),
        SandboxUsers = args.Int("sandbox-users", 100000),
        StrategyTimeoutSeconds = args.Int("strategy-timeout", 600),
        Strategies = NameSet(args.Optional("strategies") ?? "E4Upgrade,SdkBatchSequential,PerUserLoop"),
        Sections = NameSet(args.Optional("sections") ?? string.Join(',', BenchmarkSections.All)),
    };

    private static SimulatorSettings ThroughputSettings(ArgumentMap args, int usersToMove, string profile)
    {
        var tenantWriteLimit = args.Optional("tenant-write-limit") ?? "18000/300";
        var realistic = profile switch
        {
            SimulatorSettings.Realistic => true,
            SimulatorSettings.Ideal => false,
            _ => throw new ArgumentException($"--profiles takes realistic and ideal, got '{profile}'."),
        };
        return new SimulatorSettings
        {
            Profile = profile,
            Users = (int)Math.Ceiling(usersToMove * TenantSizeFactor),
            WriteLimit = args.Optional("write-limit") ?? "3000/150",
            TenantWriteLimit = tenantWriteLimit,
            TimeScale = args.Double("time-scale", 10),
            LatencyMs = args.Double("latency-ms", 300),
            Seed = args.Int("seed", 1),
            RefusedWriteCost = realistic ? args.Double("refused-write-cost", 1) : 0,
            BackgroundWritesPerSecond = realistic ? args.Double("background-writes", BackgroundShare * RatePerSecond(tenantWriteLimit)) : 0,
            Spurious429Rate = realistic ? args.Double("spurious-429-rate", 0.005) : 0,
            ResourceUnitLimit = realistic ? args.Optional("resource-unit-limit") ?? "auto" : "off",
        };
    }

    private static double RatePerSecond(string limit)
    {
        var parts = limit.Split('/');
        return double.Parse(parts[0], CultureInfo.InvariantCulture) / double.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    private static List<string> NameList(string commaSeparated) =>
        commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()).Distinct().ToList();

    private static HashSet<string> NameSet(string commaSeparated) =>
        new(commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
}
