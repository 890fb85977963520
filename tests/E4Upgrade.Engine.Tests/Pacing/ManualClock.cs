using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Tests.Pacing;

/// <summary>Virtual time: it moves only when told, or (auto-advance) by exactly the delay anyone waits for.</summary>
internal sealed class ManualClock : IClock
{
    private readonly bool _autoAdvance;
    private long _ticks;

    public ManualClock(bool autoAdvance = true)
    {
        _autoAdvance = autoAdvance;
    }

    public TimeSpan Now => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public List<TimeSpan> Delays { get; } = new();

    /// <summary>Called on every wait, before time moves: a test changes the world "while" the code waits.</summary>
    public Action<TimeSpan>? OnDelay { get; set; }

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Delays)
        {
            Delays.Add(delay);
        }

        OnDelay?.Invoke(delay);
        if (!_autoAdvance)
        {
            throw new InvalidOperationException("This test's clock does not expect anyone to wait.");
        }

        if (delay > TimeSpan.Zero)
        {
            Advance(delay);
        }

        return Task.CompletedTask;
    }
}
