using System;
using System.Diagnostics;
using E4Upgrade.GraphSimulator.Options;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// Graph's "Identity and access service limits" as token buckets (all tokens are one app registration, so they share
/// the per-app buckets):
/// * writes per app per tenant (--write-limit) and per tenant (--tenant-write-limit, also drained by other apps at
///   --background-writes per second); a write takes one token from both;
/// * resource units per app per tenant (--resource-unit-limit; off by default): every call takes its cost.
/// A call that finds any of its buckets short is refused and takes --refused-write-cost times what it would have
/// taken anyway (default 0), down to minus one bucketful: Graph's guidance is that requests retried before their
/// Retry-After still count against the limit, so a client that hammers waits longer.
/// </summary>
internal sealed class IdentityThrottle
{
    private readonly object gate = new();
    private readonly SimulatorOptions options;
    private readonly RateLimit? resourceUnitLimit;
    private TokenBucket app = null!;
    private TokenBucket tenant = null!;
    private TokenBucket? resourceUnits;

    public IdentityThrottle(SimulatorOptions options, int tenantUsers)
    {
        this.options = options;
        resourceUnitLimit = options.ResourceUnitLimit.For(tenantUsers);
        Reset();
    }

    /// <summary>The resource-unit quota in effect (null when reads are not metered).</summary>
    public RateLimit? ResourceUnitLimit => resourceUnitLimit;

    /// <summary>Full buckets again, as at start.</summary>
    public void Reset()
    {
        lock (gate)
        {
            app = new TokenBucket(options.WriteLimit, options.TimeScale);
            tenant = new TokenBucket(options.TenantWriteLimit, options.TimeScale, options.BackgroundWritesPerSecond);
            resourceUnits = resourceUnitLimit is null ? null : new TokenBucket(resourceUnitLimit, options.TimeScale);
        }
    }

    public ThrottleDecision TryAcquire(bool isWrite, int cost)
    {
        if (!isWrite && resourceUnitLimit is null)
        {
            return ThrottleDecision.Admitted(0); // reads are not metered: no lock on the read path
        }

        lock (gate)
        {
            var now = Stopwatch.GetTimestamp();
            app.Refill(now);
            tenant.Refill(now);
            resourceUnits?.Refill(now);
            var unitsShort = resourceUnits is not null && !resourceUnits.Has(cost);
            var writesShort = isWrite && (!app.Has(1) || !tenant.Has(1));
            if (!unitsShort && !writesShort)
            {
                resourceUnits?.Take(cost);
                if (isWrite)
                {
                    app.Take(1);
                    tenant.Take(1);
                }

                return ThrottleDecision.Admitted(UsedFraction(isWrite));
            }

            var refusedCost = options.RefusedWriteCost;
            if (refusedCost > 0)
            {
                resourceUnits?.Charge(refusedCost * cost);
                if (isWrite)
                {
                    app.Charge(refusedCost);
                    tenant.Charge(refusedCost);
                }
            }

            var unitsWait = resourceUnits?.SecondsUntil(cost) ?? 0;
            var appWait = isWrite ? app.SecondsUntil(1) : 0;
            var tenantWait = isWrite ? tenant.SecondsUntil(1) : 0;
            var wait = Math.Max(unitsWait, Math.Max(appWait, tenantWait));
            var limit = wait == unitsWait && unitsShort ? ThrottleLimit.ResourceUnits
                : appWait >= tenantWait ? ThrottleLimit.ApplicationWrites
                : ThrottleLimit.TenantWrites;
            var smallest = Math.Min(resourceUnits?.Capacity ?? double.MaxValue, isWrite ? Math.Min(app.Capacity, tenant.Capacity) : double.MaxValue);
            var usedAfterRefusal = Math.Min(1.8, UsedFraction(isWrite) + 1.0 / smallest);
            return new ThrottleDecision(false, wait, Math.Max(1.0, usedAfterRefusal), limit, isWrite && refusedCost > 0);
        }
    }

    /// <summary>Gives back what an admitted call took (it was answered 429 for another reason).</summary>
    public void Refund(bool isWrite, int cost)
    {
        lock (gate)
        {
            resourceUnits?.Give(cost);
            if (isWrite)
            {
                app.Give(1);
                tenant.Give(1);
            }
        }
    }

    private double UsedFraction(bool isWrite)
    {
        var used = resourceUnits?.UsedFraction ?? 0;
        return isWrite ? Math.Max(used, Math.Max(app.UsedFraction, tenant.UsedFraction)) : used;
    }
}

internal enum ThrottleLimit
{
    None,
    ApplicationWrites,
    TenantWrites,
    ResourceUnits,
}

/// <summary>
/// <paramref name="UsedFraction"/> feeds x-ms-throttle-limit-percentage; <paramref name="SecondsToWait"/> is in real
/// (scaled) seconds; <paramref name="Charged"/> says a refused write was counted against the write quota.
/// </summary>
internal sealed record ThrottleDecision(bool Allowed, double SecondsToWait, double UsedFraction, ThrottleLimit Limit, bool Charged)
{
    public static ThrottleDecision Admitted(double usedFraction) => new(true, 0, usedFraction, ThrottleLimit.None, false);
}
