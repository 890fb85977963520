using System;
using System.Globalization;

namespace E4Upgrade.Benchmark.Simulator;

/// <summary>
/// The fastest any client can get n writes through the simulator's limit model (tests/E4Upgrade.GraphSimulator,
/// Pipeline/IdentityThrottle.cs and TokenBucket.cs): two token buckets, per app per tenant (--write-limit W/T) and per
/// tenant (--tenant-write-limit), each starting full with W writes and refilling at W per T/scale seconds; other apps
/// drain the tenant bucket at --background-writes per Graph second, so what they take is not ours. A write needs a
/// token from both. So the first W writes can go at once and every further write waits for the refill left to us:
/// ideal(n) = max over the buckets of max(0, n - W) / (what refills for us per second), plus one mean write latency
/// for the last answer. This is "the ceiling left to it": the quota minus the background load.
/// </summary>
public sealed class CeilingModel
{
    private readonly Bucket app;
    private readonly Bucket tenant;
    private readonly double lastAnswerSeconds;

    public CeilingModel(SimulatorSettings settings)
    {
        app = Bucket.Parse(settings.WriteLimit, settings.TimeScale, 0);
        tenant = Bucket.Parse(settings.TenantWriteLimit, settings.TimeScale, settings.BackgroundWritesPerSecond);
        // The simulator's write latency is --latency-ms x a uniform factor in [0.5, 1.5), divided by the scale: mean = latency / scale.
        lastAnswerSeconds = settings.LatencyMs / 1000.0 / settings.TimeScale;
    }

    /// <summary>Writes the first instant may take (the smaller bucket).</summary>
    public double Burst => Math.Min(app.Capacity, tenant.Capacity);

    /// <summary>Sustained writes per second left to us once the burst is spent (the tighter bucket's refill).</summary>
    public double SustainedWritesPerSecond => Math.Min(app.RefillPerSecond, tenant.RefillPerSecond);

    public double IdealSeconds(long writes) =>
        Math.Max(app.SecondsFor(writes), tenant.SecondsFor(writes)) + (writes > 0 ? lastAnswerSeconds : 0);

    private sealed record Bucket(double Capacity, double RefillPerSecond)
    {
        public static Bucket Parse(string limit, double scale, double drainPerGraphSecond)
        {
            var parts = limit.Split('/');
            var requests = double.Parse(parts[0], CultureInfo.InvariantCulture);
            var window = double.Parse(parts[1], CultureInfo.InvariantCulture);
            return new Bucket(requests, (requests / window - drainPerGraphSecond) * scale);
        }

        public double SecondsFor(long writes) => Math.Max(0, writes - Capacity) / RefillPerSecond;
    }
}
