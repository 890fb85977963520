using System;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Pacing
{
    /// <summary>
    /// Knobs of the session's resource-unit budget. Defaults follow Microsoft Graph service-specific throttling limits,
    /// "Identity and access service limits" (learn.microsoft.com/graph/throttling-limits): per app per tenant 3,500 /
    /// 5,000 / 8,000 resource units per 10 s for tenants of fewer than 50 / 50 to 500 / more than 500 users, and a write
    /// quota of 3,000 requests per 2 min 30 s, each write costing 1 resource unit.
    /// </summary>
    public sealed class ResourceUnitBudgetSettings
    {
        /// <summary>Graph's documented quotas per window, by tenant size.</summary>
        public const int SmallTenantQuota = 3500;
        public const int MediumTenantQuota = 5000;
        public const int LargeTenantQuota = 8000;

        /// <summary>
        /// The quota per <see cref="Window"/> when it is known; null (the default) takes it from the tenant's size as
        /// documented, starting from the smallest tier until the session has seen enough users to know the tenant is larger.
        /// </summary>
        public int? ResourceUnitsPerWindow { get; set; }

        /// <summary>The window of the quota (Graph: 10 s).</summary>
        public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>
        /// Resource units per second left to writes: Graph's write quota (3,000 / 150 s = 20 writes/s) at 1 unit each.
        /// Reads never take them, so writes at the write ceiling are never short of resource units because of reads.
        /// </summary>
        public double WriteResourceUnitsPerSecond { get; set; } = 20;

        /// <summary>Share of what is left to reads that they use: a margin for timing and for other sessions of the same app.</summary>
        public double TargetFraction { get; set; } = 0.9;

        /// <summary>Pause assumed for a 429 that names a limit but carries no Retry-After.</summary>
        public TimeSpan DefaultRetryAfter { get; set; } = RetryClassifier.DefaultThrottleWait;

        internal void Validate()
        {
            if (ResourceUnitsPerWindow.HasValue && ResourceUnitsPerWindow.Value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(ResourceUnitsPerWindow), "The resource-unit quota must be positive.");
            }

            if (Window <= TimeSpan.Zero || DefaultRetryAfter < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(Window), "The quota window must be positive and the default Retry-After not negative.");
            }

            if (WriteResourceUnitsPerSecond < 0 || TargetFraction <= 0 || TargetFraction > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(TargetFraction), "The write share must not be negative and the target fraction must be in (0, 1].");
            }
        }
    }
}
