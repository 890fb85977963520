using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.GraphSimulator.Pipeline;

namespace E4Upgrade.GraphSimulator.Tenant;

/// <summary>
/// Eventual consistency as Entra's guidance describes it: a read of an object within the replication lag of a
/// write to it may show the object as it was before that write (a seeded coin per read); after the lag it never does.
/// Writes go to the current state, so a write right after a stale read is checked against the truth.
/// Call inside the tenant's gate.
/// </summary>
internal sealed class ReplicaReads
{
    private readonly TimeSpan lag;
    private readonly SeededRandom coin;
    private readonly ModelCounters counters;
    private readonly SortedSet<int> recentlyWrittenUsers = new();

    public ReplicaReads(TimeSpan lag, int seed, ModelCounters counters)
    {
        this.lag = lag;
        coin = new SeededRandom(unchecked(seed + 3));
        this.counters = counters;
    }

    public bool Enabled => lag > TimeSpan.Zero;

    public void BeforeWrite(UserState user, DateTimeOffset now)
    {
        if (Enabled)
        {
            user.Previous = user.Snapshot();
            user.LastWrittenAt = now;
            recentlyWrittenUsers.Add(user.Ordinal);
        }
    }

    public void BeforeWrite(GroupState group, DateTimeOffset now)
    {
        if (Enabled)
        {
            group.Previous = group.Snapshot();
            group.LastWrittenAt = now;
        }
    }

    /// <summary>Whether the user's latest write is still within the lag (its state from before is still on some replica).</summary>
    public bool WrittenWithinLag(UserState user, DateTimeOffset now) => Enabled && user.Previous is not null && now - user.LastWrittenAt < lag;

    public UserState Read(UserState user, DateTimeOffset now) =>
        user.Previous is { } before && Stale(user.LastWrittenAt, now) ? before : user;

    public GroupState Read(GroupState group, DateTimeOffset now) =>
        group.Previous is { } before && Stale(group.LastWrittenAt, now) ? before : group;

    /// <summary>Users written within the lag, after <paramref name="afterOrdinal"/>: a stale read may still list them where they no longer belong.</summary>
    public IReadOnlyList<int> RecentlyWrittenUsers(int afterOrdinal, TenantState tenant, DateTimeOffset now)
    {
        recentlyWrittenUsers.RemoveWhere(o => now - tenant.Users[o].LastWrittenAt >= lag);
        return recentlyWrittenUsers.GetViewBetween(afterOrdinal + 1, int.MaxValue).ToList();
    }

    private bool Stale(DateTimeOffset writtenAt, DateTimeOffset now)
    {
        if (now - writtenAt >= lag || coin.NextDouble() >= 0.5)
        {
            return false;
        }

        counters.ReadsStale++;
        return true;
    }
}
