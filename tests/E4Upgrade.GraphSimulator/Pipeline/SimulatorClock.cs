using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// The clock Entra's group processing runs on, so tests advance it instead of waiting: POST /_simulator/clock/advance
/// moves it forward at once, and a wait it is in ends as soon as its time has come. It flows with real time plus what
/// tests advanced; with --clock held it stands still between advances, so a test decides exactly how far Entra got.
/// </summary>
internal sealed class SimulatorClock
{
    private readonly object gate = new();
    private readonly bool held;
    private readonly DateTimeOffset origin = DateTimeOffset.UtcNow;
    private readonly long originTimestamp = Stopwatch.GetTimestamp();
    private TimeSpan advanced;
    private TaskCompletionSource moved = NewSignal();

    public SimulatorClock(bool held) => this.held = held;

    /// <summary>True when the clock moves only by <see cref="Advance"/>.</summary>
    public bool Held => held;

    public DateTimeOffset UtcNow
    {
        get
        {
            lock (gate)
            {
                return origin + advanced + (held ? TimeSpan.Zero : Stopwatch.GetElapsedTime(originTimestamp));
            }
        }
    }

    /// <summary>How far tests have moved the clock ahead of real time, in total.</summary>
    public TimeSpan Advanced
    {
        get
        {
            lock (gate)
            {
                return advanced;
            }
        }
    }

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), "The clock only moves forward.");
        }

        TaskCompletionSource wake;
        lock (gate)
        {
            advanced += by;
            wake = moved;
            moved = NewSignal();
        }

        wake.TrySetResult();
    }

    /// <summary>Waits until this clock has moved on by <paramref name="delay"/>, by real time passing or by advances.</summary>
    public async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var due = UtcNow + delay;
        while (true)
        {
            Task advancedSignal;
            TimeSpan left;
            lock (gate)
            {
                left = due - (origin + advanced + (held ? TimeSpan.Zero : Stopwatch.GetElapsedTime(originTimestamp)));
                advancedSignal = moved.Task;
            }

            if (left <= TimeSpan.Zero)
            {
                return;
            }

            // Whichever comes first: the real time left, or an advance (which may bring the due time at once).
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var waits = new List<Task> { advancedSignal.WaitAsync(either.Token) };
            if (!held)
            {
                waits.Add(Task.Delay(left, either.Token));
            }

            var first = await Task.WhenAny(waits).ConfigureAwait(false);
            either.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
            await first.ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
