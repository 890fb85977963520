using System;
using System.Globalization;

namespace E4Upgrade.Engine.Resilience
{
    /// <summary>
    /// The one place a Retry-After from Graph becomes a wait, for reads, user writes, group writes and
    /// Stop-E4Subscription alike (every answer passes the gateway, which owns one of these). Delta-seconds (integer,
    /// or fractional like "2.128", which Graph's own sample sends) or an HTTP-date (RFC 1123). A value that is not a
    /// finite, non-negative number or a date is ignored (the caller's backoff applies); a wait longer than
    /// <see cref="Max"/> is cut to it, so one odd header cannot park a run for an hour. Both are logged.
    /// </summary>
    internal sealed class RetryAfterHeader
    {
        /// <summary>Longest wait honoured by default: the Graph SDK's own retry handler caps at 180 s too.</summary>
        public static readonly TimeSpan DefaultMax = TimeSpan.FromSeconds(180);

        private readonly Action<string>? _log;

        public RetryAfterHeader(TimeSpan? max = null, Action<string>? log = null)
        {
            Max = max ?? DefaultMax;
            if (Max < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(max), "The Retry-After ceiling must not be negative.");
            }

            _log = log;
        }

        public TimeSpan Max { get; }

        /// <summary>The wait Graph asked for, bounded; null when absent or unusable. <paramref name="now"/> anchors an HTTP-date.</summary>
        public TimeSpan? Read(string? value, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            var text = value!.Trim();
            double seconds;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                if (double.IsNaN(number) || double.IsInfinity(number) || number < 0)
                {
                    _log?.Invoke($"Ignored Retry-After '{text}': not a finite number of seconds; backing off instead.");
                    return null;
                }

                seconds = number;
            }
            else if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
                || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
            {
                seconds = Math.Max(0, (date - now).TotalSeconds);
            }
            else
            {
                _log?.Invoke($"Ignored Retry-After '{text}': neither seconds nor an HTTP date; backing off instead.");
                return null;
            }

            if (seconds > Max.TotalSeconds)
            {
                _log?.Invoke($"Retry-After '{text}' is longer than {Max.TotalSeconds:0.###} s; waiting {Max.TotalSeconds:0.###} s.");
                return Max;
            }

            return TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        }
    }
}
