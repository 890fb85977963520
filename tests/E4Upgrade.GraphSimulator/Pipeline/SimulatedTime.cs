using System;
using System.Globalization;
using E4Upgrade.GraphSimulator.Options;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// Every duration the simulator waits or reports goes through here, divided by --time-scale.
/// Latency: writes take --latency-ms times a uniform jitter factor in [0.5, 1.5); reads a quarter of that.
/// </summary>
internal sealed class SimulatedTime
{
    private readonly SimulatorOptions options;
    private readonly SeededRandom jitter;

    public SimulatedTime(SimulatorOptions options)
    {
        this.options = options;
        jitter = new SeededRandom(unchecked(options.Seed + 1));
    }

    public double Scale => options.TimeScale;

    public TimeSpan Latency(bool isWrite)
    {
        if (options.LatencyMs <= 0)
        {
            return TimeSpan.Zero;
        }

        var typical = isWrite ? options.LatencyMs : options.LatencyMs / 4;
        return TimeSpan.FromMilliseconds(typical * (0.5 + jitter.NextDouble()) / Scale);
    }

    public TimeSpan GroupProcessingDelay() => TimeSpan.FromMilliseconds(options.GroupStartDelayMs / Scale);

    /// <summary>Members per real second, or 0 for no limit.</summary>
    public double GroupMembersPerRealSecond => options.GroupMembersPerSecond * Scale;

    /// <summary>The replication lag in real time (zero when off).</summary>
    public TimeSpan ReplicationLag => TimeSpan.FromMilliseconds(options.ReplicationLagMs / Scale);

    /// <summary>The replication lag's 99th percentile in real time (zero: the lag is fixed).</summary>
    public TimeSpan ReplicationLagP99 => TimeSpan.FromMilliseconds(options.ReplicationLagP99Ms / Scale);

    /// <summary>consumedUnits' own fixed lag in real time (zero: it lags as objects do).</summary>
    public TimeSpan ConsumedUnitsLag => TimeSpan.FromMilliseconds(options.ConsumedUnitsLagMs / Scale);

    /// <summary>Entra's concurrency retry window and delay in real time (zero when off).</summary>
    public TimeSpan GroupConcurrencyRetry => TimeSpan.FromMilliseconds(options.GroupConcurrencyRetryMs / Scale);

    /// <summary>
    /// Retry-After as sent: whole seconds in Graph's time (at least 1), divided by --time-scale.
    /// With scale 1 this is an integer ("3"); otherwise a decimal with up to 3 places ("0.05"), never below 0.001.
    /// </summary>
    public string RetryAfterHeader(double realSecondsToWait)
    {
        var graphSeconds = Math.Max(1, Math.Ceiling(realSecondsToWait * Scale - 1e-9));
        var sent = Math.Max(0.001, graphSeconds / Scale);
        return sent.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
