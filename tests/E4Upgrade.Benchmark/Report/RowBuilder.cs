using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Benchmark.Orchestration;
using E4Upgrade.Benchmark.Simulator;

namespace E4Upgrade.Benchmark.Report;

/// <summary>
/// Turns a measurement into a results row. The ideal counts the writes the input needs (one per user who can be
/// moved: users without a usage location cannot be). A sampled run is compared by rate: its ideal time is its
/// share of the whole tenant's ideal time, so a sample that fits in the quota's initial burst is not flattered.
/// </summary>
public sealed class RowBuilder
{
    private readonly CeilingModel ceiling;
    private readonly int tenantWritesNeeded;
    private readonly double tenantIdealSeconds;

    public RowBuilder(CeilingModel ceiling, IReadOnlyList<TenantUser> allHolders)
    {
        this.ceiling = ceiling;
        tenantWritesNeeded = WritesNeeded(allHolders);
        tenantIdealSeconds = ceiling.IdealSeconds(tenantWritesNeeded);
    }

    public double TenantIdealSeconds => tenantIdealSeconds;
    public int TenantWritesNeeded => tenantWritesNeeded;

    public ResultRow Build(StrategyMeasurement run, bool sampled)
    {
        var writesNeeded = WritesNeeded(run.Users);
        var ideal = sampled ? tenantIdealSeconds * writesNeeded / Math.Max(1, tenantWritesNeeded) : ceiling.IdealSeconds(writesNeeded);
        var seconds = run.Summary.Seconds;
        var attempts = run.Stats.Writes + run.Stats.Throttled;
        var score = run.Score ?? throw new ArgumentException("A results row needs the tenant checked after the run.", nameof(run));
        return new ResultRow
        {
            Strategy = run.Strategy,
            Users = run.Users.Count,
            Seconds = Math.Round(seconds, 2),
            UsersPerSecond = Math.Round(run.Users.Count / seconds, 1),
            CeilingRatio = Math.Round(Math.Min(1, ideal / seconds), 3),
            Throttled = run.Stats.Throttled,
            Lost = score.Lost,
            UsersEverUnlicensed = run.Stats.UsersEverUnlicensed,
            PeakMemoryMB = Math.Round(run.Summary.PeakMemoryKb / 1024.0, 1),
            Sampled = sampled,
            IdealSeconds = Math.Round(ideal, 2),
            Writes = run.Stats.Writes,
            ThrottledPercent = attempts == 0 ? 0 : Math.Round(100.0 * run.Stats.Throttled / attempts, 2),
            Moved = score.Moved,
            ReportedNotMoved = score.ReportedNotMoved,
            UsersWithMultipleLicenseWrites = run.Stats.UsersWithMultipleLicenseWrites,
            ProcessSeconds = Math.Round(run.ProcessSeconds, 2),
        };
    }

    private static int WritesNeeded(IEnumerable<TenantUser> users) => users.Count(u => u.HasUsageLocation);
}
