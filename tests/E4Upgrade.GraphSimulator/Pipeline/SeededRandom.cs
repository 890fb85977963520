using System;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>A thread-safe <see cref="Random"/> so runs with the same --seed draw the same sequence.</summary>
internal sealed class SeededRandom
{
    private readonly object gate = new();
    private readonly Random random;

    public SeededRandom(int seed)
    {
        random = new Random(seed);
    }

    public double NextDouble()
    {
        lock (gate)
        {
            return random.NextDouble();
        }
    }

    public int Next(int maxExclusive)
    {
        lock (gate)
        {
            return random.Next(maxExclusive);
        }
    }

    public void Shuffle<T>(T[] items)
    {
        lock (gate)
        {
            random.Shuffle(items);
        }
    }
}
