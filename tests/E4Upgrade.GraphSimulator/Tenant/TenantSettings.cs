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
    /// <summary>With a tail: each write's lag is log-normal, median <see cref="ReplicationLag"/>, 99th percentile this (real time); zero = fixed lag.</summary>
    public TimeSpan ReplicationLagP99 { get; init; }

    /// <summary>subscribedSkus' consumedUnits lags the writes that change it (by one drawn lag per read).</summary>
    public bool ConsumedUnitsLag { get; init; }

    /// <summary>With <see cref="ConsumedUnitsLag"/>: a fixed lag of consumedUnits' own (real time); zero = the objects' lag.</summary>
    public TimeSpan ConsumedUnitsFixedLag { get; init; }

    /// <summary>
    /// A user assignLicense adding a SKU, within the lag of a PATCH that set the user's missing usage location, meets the
    /// usage location from before half of the time (the licensing service reading a lagging replica).
    /// </summary>
    public bool StaleUsageLocation { get; init; }

    /// <summary>Entra's LicenseAssignmentAttributeConcurrencyException window and retry delay (real time); zero = off.</summary>
    public TimeSpan GroupConcurrencyRetry { get; init; }

    /// <summary>Counted fault injections group processing draws on (--inject group-member-disabled); null in-process.</summary>
    public Pipeline.InjectedFaults? Injected { get; init; }

    /// <summary>Today's behaviour: no rules, no default statuses, no lag.</summary>
    public static TenantSettings Ideal { get; } = new(SkuCatalog.Shared, null, new Dictionary<string, string>(), TimeSpan.Zero, 1, 1);
}
