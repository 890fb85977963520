using System;
using System.Collections.Generic;
using System.IO;
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

    /// <summary>The throughput tenant: Graph's default write limits under a time scale.</summary>
    public required SimulatorSettings Throughput { get; init; }

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

    /// <summary>Sections to run: Throughput, Memory, Scale (all by default); for quick local loops.</summary>
    public required IReadOnlySet<string> Sections { get; init; }

    public bool Runs(string section) => Sections.Contains(section);

    /// <summary>Longest any one strategy may run before the benchmark gives up on it.</summary>
    public int StrategyTimeoutSeconds { get; init; }

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
        Throughput = new SimulatorSettings
        {
            Users = (int)Math.Ceiling(usersToMove * TenantSizeFactor),
            WriteLimit = args.Optional("write-limit") ?? "3000/150",
            TenantWriteLimit = args.Optional("tenant-write-limit") ?? "18000/300",
            TimeScale = args.Double("time-scale", 10),
            LatencyMs = args.Double("latency-ms", 300),
            RefusedWriteCost = args.Double("refused-write-cost", 0),
            Seed = args.Int("seed", 1),
        },
        LoopSample = args.Int("loop-sample", 1000),
        BatchSample = args.Int("batch-sample", 0),
        MemorySmallUsers = args.Int("memory-small", 10000),
        MemoryLargeUsers = args.Int("memory-large", 100000),
        ScaleUsers = args.Int("scale-users", 100000),
        StrategyTimeoutSeconds = args.Int("strategy-timeout", 300),
        Strategies = NameSet(args.Optional("strategies") ?? "E4Upgrade,SdkBatchSequential,PerUserLoop"),
        Sections = NameSet(args.Optional("sections") ?? string.Join(',', BenchmarkSections.All)),
    };

    private static HashSet<string> NameSet(string commaSeparated) =>
        new(commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
}
