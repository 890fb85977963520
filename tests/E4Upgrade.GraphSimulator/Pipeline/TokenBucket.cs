using System;
using System.Diagnostics;
using E4Upgrade.GraphSimulator.Options;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// One of Graph's quotas: holds at most <see cref="Capacity"/> tokens and refills at capacity per window (the window
/// divided by --time-scale). Other apps may drain it at a steady rate (--background-writes); they take only tokens
/// that are there. Not thread-safe: <see cref="IdentityThrottle"/> holds the lock.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double refillPerSecond;
    private readonly double drainPerSecond;
    private long lastRefill = Stopwatch.GetTimestamp();

    public TokenBucket(RateLimit limit, double timeScale, double drainPerGraphSecond = 0)
    {
        Capacity = limit.Requests;
        Tokens = limit.Requests;
        refillPerSecond = limit.Requests / (limit.WindowSeconds / timeScale);
        drainPerSecond = drainPerGraphSecond * timeScale;
        if (drainPerSecond >= refillPerSecond)
        {
            throw new ArgumentException(
                $"--background-writes {drainPerGraphSecond} leaves nothing of a {limit} write limit (at most {limit.Requests / limit.WindowSeconds:0.##} writes per second).");
        }
    }

    public double Capacity { get; }
    public double Tokens { get; private set; }
    public double UsedFraction => (Capacity - Tokens) / Capacity;

    public void Refill(long now)
    {
        var elapsed = Stopwatch.GetElapsedTime(lastRefill, now).TotalSeconds;
        lastRefill = now;
        if (Tokens < 0)
        {
            // Below empty (refused requests were charged): everyone is refused until it is back at zero.
            var toZero = -Tokens / refillPerSecond;
            if (elapsed <= toZero)
            {
                Tokens += elapsed * refillPerSecond;
                return;
            }

            elapsed -= toZero;
            Tokens = 0;
        }

        Tokens = Math.Min(Capacity, Math.Max(0, Tokens + elapsed * (refillPerSecond - drainPerSecond)));
    }

    public bool Has(double amount) => Tokens >= amount;

    public void Take(double amount) => Tokens -= amount;

    public void Give(double amount) => Tokens = Math.Min(Capacity, Tokens + amount);

    /// <summary>Takes tokens for a refused request, down to minus one bucketful.</summary>
    public void Charge(double amount) => Tokens = Math.Max(-Capacity, Tokens - amount);

    /// <summary>Real seconds until <paramref name="amount"/> tokens are there.</summary>
    public double SecondsUntil(double amount)
    {
        if (Tokens >= amount)
        {
            return 0;
        }

        var belowZero = Tokens < 0 ? -Tokens / refillPerSecond : 0;
        return belowZero + (amount - Math.Max(0, Tokens)) / (refillPerSecond - drainPerSecond);
    }
}
