using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.GraphSimulator.Pipeline;

namespace E4Upgrade.GraphSimulator.Tenant;

/// <summary>
/// Eventual consistency as Entra's guidance describes it: a read of an object within the replication lag of a
/// write to it may show the object as it was before that write (a seeded coin per read); after the lag it never does.
/// Each write draws its own lag: the fixed <c>--replication-lag-ms</c>, or with <c>--replication-lag-p99-ms</c> a
/// log-normal draw whose median is the former and whose 99th percentile is the latter, cut at four times the 99th
/// percentile (our choice: Microsoft publishes no bound, so the shape and figures are ours). consumedUnits (with
/// <c>--consumed-units-lag on</c>) is read as it stood one drawn lag ago, or a fixed lag ago (<c>--consumed-units-lag MS</c>). Writes go to the current state, so a write
/// right after a stale read is checked against the truth. Call inside the tenant's gate.
/// </summary>
internal sealed class ReplicaReads
{
    /// <summary>The standard normal's 99th percentile: sigma = ln(p99 / median) / this.</summary>
    private const double Z99 = 2.3263478740408408;
    private const double TailCut = 4;
    private readonly TimeSpan lag;
    private readonly TimeSpan p99;
    private readonly bool consumedLags;
    private readonly TimeSpan consumedFixedLag;
    private readonly SeededRandom coin;
    private readonly SeededRandom lagDraws;
    private readonly ModelCounters counters;
    private readonly SortedSet<int> recentlyWrittenUsers = new();
    private readonly Dictionary<Guid, List<(DateTimeOffset At, int Before)>> consumedChanges = new();

    public ReplicaReads(TenantSettings settings, ModelCounters counters)
    {
        lag = settings.ReplicationLag;
        p99 = settings.ReplicationLagP99 > lag ? settings.ReplicationLagP99 : lag;
        consumedFixedLag = settings.ConsumedUnitsFixedLag;
        consumedLags = settings.ConsumedUnitsLag && (Enabled || consumedFixedLag > TimeSpan.Zero);
        coin = new SeededRandom(unchecked(settings.Seed + 3));
        lagDraws = new SeededRandom(unchecked(settings.Seed + 5));
        this.counters = counters;
    }

    public bool Enabled => lag > TimeSpan.Zero;

    /// <summary>The longest lag a write can draw.</summary>
    public TimeSpan Longest => p99 > lag ? TimeSpan.FromTicks((long)(p99.Ticks * TailCut)) : lag;

    public void BeforeWrite(UserState user, DateTimeOffset now)
    {
        if (Enabled)
        {
            user.Previous = user.Snapshot();
            user.LastWrittenAt = now;
            user.StaleUntil = now + DrawLag();
            recentlyWrittenUsers.Add(user.Ordinal);
        }
    }

    public void BeforeWrite(GroupState group, DateTimeOffset now)
    {
        if (Enabled)
        {
            group.Previous = group.Snapshot();
            group.LastWrittenAt = now;
            group.StaleUntil = now + DrawLag();
        }
    }

    /// <summary>A SKU's consumedUnits is about to change from <paramref name="before"/>: kept so reads can lag behind it.</summary>
    public void ConsumedChanging(SkuState sku, int before, DateTimeOffset now)
    {
        if (!consumedLags)
        {
            return;
        }

        if (!consumedChanges.TryGetValue(sku.SkuId, out var changes))
        {
            consumedChanges[sku.SkuId] = changes = new List<(DateTimeOffset, int)>();
        }

        var kept = consumedFixedLag > Longest ? consumedFixedLag : Longest;
        var forgotten = changes.FindIndex(c => now - c.At < kept);
        changes.RemoveRange(0, forgotten < 0 ? changes.Count : forgotten);
        changes.Add((now, before));
    }

    /// <summary>consumedUnits as a read sees it: as it stood one drawn lag ago (the value before the first change since then).</summary>
    public int Consumed(SkuState sku, DateTimeOffset now)
    {
        if (!consumedLags || !consumedChanges.TryGetValue(sku.SkuId, out var changes) || changes.Count == 0)
        {
            return sku.Consumed;
        }

        var asOf = now - (consumedFixedLag > TimeSpan.Zero ? consumedFixedLag : DrawLag());
        foreach (var change in changes)
        {
            if (change.At > asOf)
            {
                if (change.Before != sku.Consumed)
                {
                    counters.ReadsStale++;
                }

                return change.Before;
            }
        }

        return sku.Consumed;
    }

    /// <summary>Whether the user's latest write is still within its lag (its state from before is still on some replica).</summary>
    public bool WrittenWithinLag(UserState user, DateTimeOffset now) => Enabled && user.Previous is not null && now < user.StaleUntil;

    /// <summary>A read of something written within its lag: true (stale, counted) half of the time.</summary>
    public bool StaleCoin()
    {
        if (coin.NextDouble() >= 0.5)
        {
            return false;
        }

        counters.ReadsStale++;
        return true;
    }

    public UserState Read(UserState user, DateTimeOffset now) =>
        user.Previous is { } before && Stale(user.StaleUntil, now) ? before : user;

    public GroupState Read(GroupState group, DateTimeOffset now) =>
        group.Previous is { } before && Stale(group.StaleUntil, now) ? before : group;

    /// <summary>Users written within their lag, after <paramref name="afterOrdinal"/>: a stale read may still list them where they no longer belong.</summary>
    public IReadOnlyList<int> RecentlyWrittenUsers(int afterOrdinal, TenantState tenant, DateTimeOffset now)
    {
        recentlyWrittenUsers.RemoveWhere(o => now >= tenant.Users[o].StaleUntil);
        return recentlyWrittenUsers.GetViewBetween(afterOrdinal + 1, int.MaxValue).ToList();
    }

    /// <summary>One write's lag: fixed, or log-normal (median = the lag, 99th percentile = p99), cut at <see cref="Longest"/>.</summary>
    private TimeSpan DrawLag()
    {
        if (p99 <= lag)
        {
            return lag;
        }

        // Box-Muller: one standard normal from two uniforms.
        var u1 = 1.0 - lagDraws.NextDouble();
        var u2 = lagDraws.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        var sigma = Math.Log(p99.TotalMilliseconds / lag.TotalMilliseconds) / Z99;
        var drawn = lag.TotalMilliseconds * Math.Exp(sigma * z);
        return TimeSpan.FromMilliseconds(Math.Min(drawn, Longest.TotalMilliseconds));
    }

    private bool Stale(DateTimeOffset staleUntil, DateTimeOffset now) => now < staleUntil && StaleCoin();
}
