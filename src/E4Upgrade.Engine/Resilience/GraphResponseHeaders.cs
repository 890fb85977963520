using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace E4Upgrade.Engine.Resilience
{
    /// <summary>Reads Graph's throttling headers, whatever form they arrive in.</summary>
    internal static class GraphResponseHeaders
    {
        public const string RetryAfter = "Retry-After";
        public const string ThrottleLimitPercentage = "x-ms-throttle-limit-percentage";
        /// <summary>The resource units a call cost ("Microsoft Graph service-specific throttling limits", identity and access).</summary>
        public const string ResourceUnit = "x-ms-resource-unit";
        /// <summary>On a 429: which limit refused it (WriteLimitExceeded, ResourceUnitLimitExceeded, CPULimitExceeded).</summary>
        public const string ThrottleInformation = "x-ms-throttle-information";
        public const string WriteLimitExceeded = "WriteLimitExceeded";
        public const string ResourceUnitLimitExceeded = "ResourceUnitLimitExceeded";

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
