using System;
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
/// </summary>
internal sealed class GroupLicenseProcessor
{
    private const int ChunkSize = 500;
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(5);
    private readonly TenantHolder holder;
    private readonly SimulatedTime time;
    private readonly CancellationToken stopping;

    public GroupLicenseProcessor(TenantHolder holder, SimulatedTime time, CancellationToken stopping)
    {
        this.holder = holder;
        this.time = time;
        this.stopping = stopping;
    }

    /// <summary>Call inside the tenant's gate, right after the group's licenses changed.</summary>
    public void Schedule(TenantState tenant, GroupState group)
    {
        group.LicenseProcessingState = "QueuedForProcessing";
        var version = ++group.LicenseVersion;
        _ = Task.Run(() => ProcessAsync(tenant, group, version), stopping);
    }

    private async Task ProcessAsync(TenantState tenant, GroupState group, int version)
    {
        try
        {
            await Task.Delay(time.GroupProcessingDelay(), stopping).ConfigureAwait(false);
            var perSecond = time.GroupMembersPerRealSecond;
            var started = DateTimeOffset.UtcNow;
            var done = 0;
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
                    var now = DateTimeOffset.UtcNow;
                    var total = group.MemberOrdinals.Count;
                    var due = perSecond > 0 ? (int)Math.Min(total, Math.Floor((now - started).TotalSeconds * perSecond)) : total;
                    var end = Math.Min(due, done + ChunkSize);
                    for (; done < end; done++)
                    {
                        GroupLicenseInheritance.Apply(tenant, group, tenant.Users[group.MemberOrdinals[done]], now);
                        tenant.Counters.GroupMembersProcessed++;
                    }

                    if (done >= total)
                    {
                        group.LicenseProcessingState = "ProcessingComplete";
                        return;
                    }
                }

                if (perSecond > 0)
                {
                    var nextDue = started.AddSeconds((done + 1) / perSecond) - DateTimeOffset.UtcNow;
                    await Task.Delay(nextDue > MinimumWait ? nextDue : MinimumWait, stopping).ConfigureAwait(false);
                }
                else
                {
                    await Task.Yield();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The simulator is shutting down.
        }
    }
}
