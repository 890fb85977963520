using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.GraphSimulator.Pipeline;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Licensing;

/// <summary>
/// Entra processes group license changes asynchronously: after POST /groups/{id}/assignLicense the group is
/// QueuedForProcessing, then ProcessingInProgress while members are updated in chunks, then ProcessingComplete.
/// With --group-members-per-second R, member k (0-based) is processed once k+1 members are due at R per second
/// (Graph time) after the start delay, so reads in between show some members done and the rest as before.
/// Members whose license was recorded ActiveWithError for a concurrent assignment (GroupLicenseInheritance) are processed
/// again once the group is done and the concurrency delay has passed, as Entra retries them.
/// </summary>
internal sealed class GroupLicenseProcessor : IGroupLicenseScheduler
{
    private const int ChunkSize = 500;
    private const string Complete = "ProcessingComplete";
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(5);
    private readonly TenantHolder holder;
    private readonly SimulatedTime time;
    private readonly SimulatorClock clock;
    private readonly CancellationToken stopping;

    public GroupLicenseProcessor(TenantHolder holder, SimulatedTime time, SimulatorClock clock, CancellationToken stopping)
    {
        this.holder = holder;
        this.time = time;
        this.clock = clock;
        this.stopping = stopping;
    }

    public void Schedule(TenantState tenant, GroupState group)
    {
        var version = Queue(group);
        _ = Task.Run(() => ProcessAsync(tenant, group, version), stopping);
    }

    /// <summary>Marks the group's change as waiting for processing; returns the change's version.</summary>
    public static int Queue(GroupState group)
    {
        group.LicenseProcessingState = "QueuedForProcessing";
        return ++group.LicenseVersion;
    }

    /// <summary>Applies the group's licenses to every member at once and completes the processing. Call inside the tenant's gate.</summary>
    public static void ProcessAll(TenantState tenant, GroupState group, DateTimeOffset now)
    {
        for (var position = 0; position < group.MemberOrdinals.Count; position++)
        {
            ProcessMember(tenant, group, position, now);
        }

        group.LicenseProcessingState = Complete;
    }

    /// <returns>True when Entra will retry the member (a concurrent assignment).</returns>
    private static bool ProcessMember(TenantState tenant, GroupState group, int position, DateTimeOffset now)
    {
        tenant.Counters.GroupMembersProcessed++;
        return GroupLicenseInheritance.Apply(tenant, group, tenant.Users[group.MemberOrdinals[position]], now);
    }

    private async Task ProcessAsync(TenantState tenant, GroupState group, int version)
    {
        try
        {
            // Processing starts when the delay is over on the clock, so one advance of the clock past the delay and
            // more carries the members that time makes due too.
            var started = clock.UtcNow + time.GroupProcessingDelay();
            await clock.DelayAsync(time.GroupProcessingDelay(), stopping).ConfigureAwait(false);
            var perSecond = time.GroupMembersPerRealSecond;
            var done = 0;
            var retry = new List<int>();
            while (true)
            {
                lock (tenant.Gate)
                {
                    // A reset replaced the tenant, or a newer change to this group will redo the work.
                    if (!ReferenceEquals(holder.Current, tenant) || group.LicenseVersion != version)
                    {
                        return;
                    }

                    group.LicenseProcessingState = "ProcessingInProgress";
                    var total = group.MemberOrdinals.Count;
                    var due = perSecond > 0 ? (int)Math.Min(total, Math.Floor((clock.UtcNow - started).TotalSeconds * perSecond)) : total;
                    var end = Math.Min(due, done + ChunkSize);
                    // The change itself is stamped with the time the endpoints read by (replication lag, lastUpdatedDateTime).
                    var now = DateTimeOffset.UtcNow;
                    for (; done < end; done++)
                    {
                        if (ProcessMember(tenant, group, done, now))
                        {
                            retry.Add(group.MemberOrdinals[done]);
                        }
                    }

                    if (done >= total)
                    {
                        group.LicenseProcessingState = Complete;
                        break;
                    }
                }

                if (perSecond > 0)
                {
                    var nextDue = started.AddSeconds((done + 1) / perSecond) - clock.UtcNow;
                    // A member already due (a chunk was full) waits only a real moment, even on a held clock.
                    await (nextDue > MinimumWait ? clock.DelayAsync(nextDue, stopping) : Task.Delay(MinimumWait, stopping)).ConfigureAwait(false);
                }
                else
                {
                    await Task.Yield();
                }
            }

            if (retry.Count > 0)
            {
                await RetryAsync(tenant, group, version, retry).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The simulator is shutting down.
        }
    }

    /// <summary>Entra's retry of members whose assignment met a concurrent one: after the delay, once (the window has passed by then).</summary>
    private async Task RetryAsync(TenantState tenant, GroupState group, int version, List<int> ordinals)
    {
        await Task.Delay(tenant.Settings.GroupConcurrencyRetry, stopping).ConfigureAwait(false);
        lock (tenant.Gate)
        {
            if (!ReferenceEquals(holder.Current, tenant) || group.LicenseVersion != version)
            {
                return;
            }

            var now = DateTimeOffset.UtcNow;
            foreach (var ordinal in ordinals.Where(o => group.MemberOrdinals.Contains(o)))
            {
                GroupLicenseInheritance.Apply(tenant, group, tenant.Users[ordinal], now, retrying: true);
            }
        }
    }
}
