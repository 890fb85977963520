using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace E4Upgrade.Engine.Resilience
{
    /// <summary>Reads Graph's throttling headers, whatever form they arrive in.</summary>
    public static class GraphResponseHeaders
    {
        public const string RetryAfter = "Retry-After";
        public const string ThrottleLimitPercentage = "x-ms-throttle-limit-percentage";

        /// <summary>
        /// Parses Retry-After as delta-seconds (integer, or fractional like "2.128", which Graph's own sample sends)
        /// or as an HTTP-date (RFC 1123), relative to <paramref name="now"/>. A date in the past gives zero; anything
        /// unparseable gives null.
        /// </summary>
        public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            var text = value!.Trim();
            if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
            {
                return seconds > TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
                || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
            {
                var wait = date - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }

            return null;
        }

        /// <summary>Parses x-ms-throttle-limit-percentage ("0.8" to "1.8"); null when absent or not a number.</summary>
        public static double? ParseThrottleLimitPercentage(string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            return double.TryParse(value!.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var percentage)
                && percentage >= 0 && !double.IsInfinity(percentage)
                ? percentage
                : (double?)null;
        }

        /// <summary>The first value of a header, matched case-insensitively.</summary>
        public static string? Find(IEnumerable<KeyValuePair<string, IEnumerable<string>>>? headers, string name)
        {
            if (headers == null)
            {
                return null;
            }

            foreach (var header in headers)
            {
                if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return header.Value?.FirstOrDefault();
                }
            }

            return null;
        }

        /// <summary>The first value of a header in a flat name/value map (a $batch item's headers), matched case-insensitively.</summary>
        public static string? Find(IEnumerable<KeyValuePair<string, string>>? headers, string name)
        {
            if (headers == null)
            {
                return null;
            }

            foreach (var header in headers)
            {
                if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return header.Value;
                }
            }

            return null;
        }
    }
}
