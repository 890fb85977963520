using System;

namespace E4Upgrade.Engine.Resilience
{
    /// <summary>Which of Graph's limits a 429 names (see <see cref="ThrottledLimits.Of"/>).</summary>
    internal enum ThrottledLimit
    {
        /// <summary>No limit named and no percentage at or above 1.0: a 429 sent under every limit ("even when limits aren't reached").</summary>
        None,
        /// <summary>x-ms-throttle-information WriteLimitExceeded.</summary>
        Writes,
        /// <summary>x-ms-throttle-information ResourceUnitLimitExceeded.</summary>
        ResourceUnits,
        /// <summary>Another limit named (CPULimitExceeded, or a name not documented yet).</summary>
        Other,
        /// <summary>No limit named, but x-ms-throttle-limit-percentage at 1.0 or more: some limit is full.</summary>
        Unnamed,
    }

    /// <summary>
    /// The one reading of which limit a 429 names, for the write pacer and the session's resource-unit budget.
    /// "Microsoft Graph service-specific throttling limits" (identity and access): a 429 carries
    /// x-ms-throttle-information (CPULimitExceeded, WriteLimitExceeded, ResourceUnitLimitExceeded), and
    /// x-ms-throttle-limit-percentage is sent above 0.8 of a limit without saying which.
    /// </summary>
    internal static class ThrottledLimits
    {
        public static ThrottledLimit Of(string? throttleInformation, double? limitPercentage)
        {
            if (string.IsNullOrEmpty(throttleInformation))
            {
                return limitPercentage >= 1.0 ? ThrottledLimit.Unnamed : ThrottledLimit.None;
            }

            if (string.Equals(throttleInformation, GraphResponseHeaders.ResourceUnitLimitExceeded, StringComparison.OrdinalIgnoreCase))
            {
                return ThrottledLimit.ResourceUnits;
            }

            return string.Equals(throttleInformation, GraphResponseHeaders.WriteLimitExceeded, StringComparison.OrdinalIgnoreCase)
                ? ThrottledLimit.Writes
                : ThrottledLimit.Other;
        }
    }
}
