using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace E4Upgrade.Engine.Pacing
{
    /// <summary>The real clock: a Stopwatch and Task.Delay.</summary>
    public sealed class SystemClock : IClock
    {
        private readonly Stopwatch _stopwatch = Stopwatch.StartNew();

        public TimeSpan Now => _stopwatch.Elapsed;

        public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
            delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, cancellationToken);
    }
}
