using System;
using System.Threading;

namespace E4Upgrade.GraphSimulator.Pipeline;

internal enum FaultKind
{
    None,
    InternalServerError,
    ServiceUnavailable,
    GatewayTimeout,
    DroppedConnection,
    /// <summary>502, from --server-error-rate only (--fault-rate's draws stay 500, 503, 504 and drops).</summary>
    BadGateway,
}

/// <summary>
/// Draws faults from a --seed'ed sequence: with probability --fault-rate one of 500, 503, 504 or a dropped
/// connection (the last only for whole HTTP requests, never for a single $batch item).
/// For 504 and dropped connections on writes it also decides, half of the time, that the write happens anyway.
/// </summary>
internal sealed class FaultInjector
{
    private SeededRandom random;
    private double rate;

    public FaultInjector(int seed, double rate)
    {
        random = new SeededRandom(seed);
        this.rate = rate;
    }

    /// <summary>Back to the start: the same rate and the same --seed'ed sequence.</summary>
    public void Reset(int seed, double startRate)
    {
        Volatile.Write(ref random, new SeededRandom(seed));
        Rate = startRate;
    }

    public double Rate
    {
        get => Volatile.Read(ref rate);
        set => Volatile.Write(ref rate, value);
    }

    public FaultKind Draw(bool allowDrop)
    {
        var currentRate = Rate;
        if (currentRate <= 0 || Volatile.Read(ref random).NextDouble() >= currentRate)
        {
            return FaultKind.None;
        }

        return Volatile.Read(ref random).Next(allowDrop ? 4 : 3) switch
        {
            0 => FaultKind.InternalServerError,
            1 => FaultKind.ServiceUnavailable,
            2 => FaultKind.GatewayTimeout,
            _ => FaultKind.DroppedConnection,
        };
    }

    /// <summary>Whether a 504 or dropped write is applied before failing (the caller cannot tell).</summary>
    public bool ApplyBeforeFailing() => Volatile.Read(ref random).NextDouble() < 0.5;
}
