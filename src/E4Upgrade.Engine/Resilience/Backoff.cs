using System;

namespace E4Upgrade.Engine.Resilience
{
    /// <summary>
    /// The one exponential backoff for a retry that Graph gave no Retry-After for: base, 2 x base, 4 x base, ...
    /// up to the ceiling. Used by reads, user writes, group writes and Stop-E4Subscription's removals.
    /// </summary>
    internal sealed class Backoff
    {
        public Backoff(TimeSpan baseDelay, TimeSpan maxDelay)
        {
            if (baseDelay < TimeSpan.Zero || maxDelay < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(baseDelay), "Backoff delays must not be negative.");
            }

            BaseDelay = baseDelay;
            MaxDelay = maxDelay;
        }

        /// <summary>For calls made one at a time (a group's assignLicense, a removal batch): 2 s doubling up to a minute.</summary>
        public static Backoff Slow { get; } = new Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));

        public TimeSpan BaseDelay { get; }
        public TimeSpan MaxDelay { get; }

        /// <summary>The wait before retry number <paramref name="attempt"/> (1 = after the first failure).</summary>
        public TimeSpan Delay(int attempt)
        {
            var factor = Math.Pow(2, Math.Max(0, attempt - 1));
            var ticks = Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * factor);
            return TimeSpan.FromTicks((long)ticks);
        }

        /// <summary>Graph's Retry-After when it sent one (already bounded by <see cref="RetryAfterHeader"/>), else the backoff.</summary>
        public TimeSpan After(int attempt, TimeSpan? retryAfter) => retryAfter ?? Delay(attempt);
    }
}
