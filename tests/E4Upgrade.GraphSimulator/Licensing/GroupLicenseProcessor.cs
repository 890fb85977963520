using System;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.GraphSimulator.Pipeline;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Licensing;

/// <summary>
/// Entra processes group license changes asynchronously: after POST /groups/{id}/assignLicense the group is
/// QueuedForProcessing, then ProcessingInProgress while members are updated in chunks, then ProcessingComplete.
/// </summary>
internal sealed class GroupLicenseProcessor
{
    private const int ChunkSize = 500;
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
            for (var start = 0; ; start += ChunkSize)
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
                    var end = Math.Min(start + ChunkSize, group.MemberOrdinals.Count);
                    for (var i = start; i < end; i++)
                    {
                        GroupLicenseInheritance.Apply(tenant, group, tenant.Users[group.MemberOrdinals[i]], now);
                    }

                    if (end >= group.MemberOrdinals.Count)
                    {
                        group.LicenseProcessingState = "ProcessingComplete";
                        return;
                    }
                }

                await Task.Yield();
            }
        }
        catch (OperationCanceledException)
        {
            // The simulator is shutting down.
        }
    }
}
