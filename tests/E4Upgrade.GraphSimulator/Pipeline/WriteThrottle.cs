using System;
using System.Diagnostics;
using E4Upgrade.GraphSimulator.Options;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// Graph's identity write quota as two token buckets: per app per tenant (--write-limit) and per tenant
/// (--tenant-write-limit). A bucket holds at most N writes and refills at N per window (window divided by
/// --time-scale). A write takes one token from both buckets or, if either is empty, is refused. A refused write takes
/// --refused-write-cost tokens anyway (default 0), down to minus one bucketful: Graph's guidance is that requests retried
/// before their Retry-After still count against the limit, so a client that hammers waits longer.
/// All tokens belong to one app registration, so they share the per-app bucket.
/// </summary>
internal sealed class WriteThrottle
{
    private readonly object gate = new();
    private readonly SimulatorOptions options;
    private Bucket app = null!;
    private Bucket tenant = null!;

    public WriteThrottle(SimulatorOptions options)
    {
        this.options = options;
        Reset();
    }

    /// <summary>Full buckets again, as at start.</summary>
    public void Reset()
    {
        lock (gate)
        {
            app = new Bucket(options.WriteLimit, options.TimeScale);
            tenant = new Bucket(options.TenantWriteLimit, options.TimeScale);
        }
    }

    public ThrottleDecision TryAcquire()
    {
        lock (gate)
        {
            var now = Stopwatch.GetTimestamp();
            app.Refill(now);
            tenant.Refill(now);
            if (app.Tokens >= 1 && tenant.Tokens >= 1)
            {
                app.Tokens--;
                tenant.Tokens--;
                return new ThrottleDecision(true, 0, Math.Max(app.UsedFraction, tenant.UsedFraction), ThrottleScope.None);
            }

            app.Charge(options.RefusedWriteCost);
            tenant.Charge(options.RefusedWriteCost);
            var appWait = app.SecondsUntilToken();
            var tenantWait = tenant.SecondsUntilToken();
            var scope = appWait >= tenantWait ? ThrottleScope.Application : ThrottleScope.Tenant;
            var usedAfterRefusal = Math.Min(1.8, Math.Max(app.UsedFraction, tenant.UsedFraction) + 1.0 / Math.Min(app.Capacity, tenant.Capacity));
            return new ThrottleDecision(false, Math.Max(appWait, tenantWait), Math.Max(1.0, usedAfterRefusal), scope);
        }
    }

    private sealed class Bucket
    {
        private readonly double refillPerSecond;
        private long lastRefill = Stopwatch.GetTimestamp();

        public Bucket(RateLimit limit, double timeScale)
        {
            Capacity = limit.Requests;
            Tokens = limit.Requests;
            refillPerSecond = limit.Requests / (limit.WindowSeconds / timeScale);
        }

        public double Capacity { get; }
        public double Tokens { get; set; }
        public double UsedFraction => (Capacity - Tokens) / Capacity;

        public void Refill(long now)
        {
            var elapsed = Stopwatch.GetElapsedTime(lastRefill, now).TotalSeconds;
            lastRefill = now;
            Tokens = Math.Min(Capacity, Tokens + elapsed * refillPerSecond);
        }

        public void Charge(double cost) => Tokens = Math.Max(-Capacity, Tokens - cost);

        public double SecondsUntilToken() => Tokens >= 1 ? 0 : (1 - Tokens) / refillPerSecond;
    }
}

internal enum ThrottleScope
{
    None,
    Application,
    Tenant,
}

/// <summary><paramref name="UsedFraction"/> feeds x-ms-throttle-limit-percentage; <paramref name="SecondsToWait"/> is in real (scaled) seconds.</summary>
internal sealed record ThrottleDecision(bool Allowed, double SecondsToWait, double UsedFraction, ThrottleScope Scope);
