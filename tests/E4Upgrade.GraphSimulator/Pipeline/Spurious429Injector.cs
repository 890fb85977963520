using System.Threading;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// --spurious-429-rate: the fraction of admitted calls answered 429 anyway. Graph's throttling guidance says 429s can
/// come even when the limits are not reached (heavy load, tenant data volume). Draws come from a --seed'ed sequence.
/// </summary>
internal sealed class Spurious429Injector
{
    private readonly int seed;
    private readonly double rate;
    private SeededRandom random;

    public Spurious429Injector(int seed, double rate)
    {
        this.seed = seed;
        this.rate = rate;
        random = new SeededRandom(unchecked(seed + 3));
    }

    public bool Draw() => rate > 0 && Volatile.Read(ref random).NextDouble() < rate;

    public void Reset() => Volatile.Write(ref random, new SeededRandom(unchecked(seed + 3)));
}
