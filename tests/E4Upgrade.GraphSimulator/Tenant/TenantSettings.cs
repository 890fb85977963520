using System;
using System.Collections.Generic;
using E4Upgrade.GraphSimulator.Licensing;

namespace E4Upgrade.GraphSimulator.Tenant;

/// <summary>
/// How hard the tenant model is, independent of HTTP: the SKU catalog, the licensing rules (null = not enforced),
/// default plan statuses, the replication lag (real time) and the time scale for provisioningSeconds.
/// </summary>
internal sealed record TenantSettings(
    SkuCatalog Catalog,
    LicensingRules? Rules,
    IReadOnlyDictionary<string, string> PlanStatuses,
    TimeSpan ReplicationLag,
    double TimeScale,
    int Seed)
{
    /// <summary>Today's behaviour: no rules, no default statuses, no lag.</summary>
    public static TenantSettings Ideal { get; } = new(SkuCatalog.Shared, null, new Dictionary<string, string>(), TimeSpan.Zero, 1, 1);
}
