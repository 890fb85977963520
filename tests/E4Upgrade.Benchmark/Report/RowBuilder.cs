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
/// A run stopped at its budget is compared on what it did: the ideal time of the users it moved over its time.
/// </summary>
public sealed class RowBuilder
{
    private readonly CeilingModel ceiling;
    private readonly string profile;
    private readonly int tenantWritesNeeded;
    private readonly double tenantIdealSeconds;

    public RowBuilder(CeilingModel ceiling, string profile, IReadOnlyList<TenantUser> allHolders)
    {
        this.ceiling = ceiling;
        this.profile = profile;
        tenantWritesNeeded = WritesNeeded(allHolders);
        tenantIdealSeconds = ceiling.IdealSeconds(tenantWritesNeeded);
    }

    public double TenantIdealSeconds => tenantIdealSeconds;
    public int TenantWritesNeeded => tenantWritesNeeded;

    /// <summary>How long a strategy may run: twice the ideal time of its input plus 30 s for start-up, at least 120 s.</summary>
    public TimeSpan Budget(IReadOnlyList<TenantUser> users, bool sampled) =>
        TimeSpan.FromSeconds(Math.Max(120, 2 * Ideal(users, sampled) + 30));

    public ResultRow Build(StrategyMeasurement run, bool sampled)
    {
        var score = run.Score ?? throw new ArgumentException("A results row needs the tenant checked after the run.", nameof(run));
        var seconds = run.Summary.Seconds;
        var ideal = run.Finished ? Ideal(run.Users, sampled) : IdealFor(score.Moved, sampled);
        var attempts = run.Stats.Writes + run.Stats.WritesThrottled;
        return new ResultRow
        {
            Profile = profile,
            Strategy = run.Strategy,
            Users = run.Users.Count,
            Seconds = Math.Round(seconds, 2),
            UsersPerSecond = Math.Round((run.Finished ? run.Users.Count : score.Moved) / seconds, 1),
            CeilingRatio = Math.Round(Math.Min(1, ideal / seconds), 3),
            Throttled = run.Stats.WritesThrottled,
            Lost = run.Finished ? score.Lost : null,
            UsersEverUnlicensed = run.Stats.UsersEverUnlicensed,
            PeakMemoryMB = Math.Round(run.Summary.PeakMemoryKb / 1024.0, 1),
            Sampled = sampled,
            Finished = run.Finished,
            BudgetSeconds = Math.Round(run.BudgetSeconds, 0),
            IdealSeconds = Math.Round(ideal, 2),
            Writes = run.Stats.Writes,
            ThrottledPercent = attempts == 0 ? 0 : Math.Round(100.0 * run.Stats.WritesThrottled / attempts, 2),
            EarlyRetries = run.Stats.EarlyRetries,
            FailedButOnTarget = score.FailedButOnTarget,
            Moved = score.Moved,
            ReportedNotMoved = score.ReportedNotMoved,
            UsersWithMultipleLicenseWrites = run.Stats.UsersWithMultipleLicenseWrites,
            AllThrottled = run.Stats.Throttled,
            SpuriousThrottled = run.Stats.SpuriousThrottled,
            ResourceUnitThrottled = run.Stats.ResourceUnitThrottled,
            RefusedWritesCharged = run.Stats.RefusedWritesCharged,
            ReadsStale = run.Stats.ReadsStale,
            Requests = run.Stats.Requests,
            ProcessSeconds = Math.Round(run.ProcessSeconds, 2),
        };
    }

    private double Ideal(IReadOnlyList<TenantUser> users, bool sampled) => IdealFor(WritesNeeded(users), sampled);

    private double IdealFor(int writes, bool sampled) =>
        sampled ? tenantIdealSeconds * writes / Math.Max(1, tenantWritesNeeded) : ceiling.IdealSeconds(writes);

    private static int WritesNeeded(IEnumerable<TenantUser> users) => users.Count(u => u.HasUsageLocation);
}
