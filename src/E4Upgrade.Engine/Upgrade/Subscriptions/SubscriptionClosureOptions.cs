using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Upgrade
{
    public sealed class SubscriptionClosureOptions
    {
        /// <summary>The E4 SKU to close; defaults to the tenant's E4 SKU.</summary>
        public string? SourceSku { get; set; }
        /// <summary>
        /// With Force, E4 is removed only from users holding this SKU. Default: any of the upgrade targets Microsoft
        /// names for E4 (O365 E3/E5, E5 without audio conferencing, M365 E3/E5) that the tenant has.
        /// </summary>
        public string? TargetSku { get; set; }
        /// <summary>Remove leftover direct E4 assignments from users who already hold the target.</summary>
        public bool Force { get; set; }
        /// <summary>How many users an error message names before "and N more".</summary>
        public int MaxNamed { get; set; } = 20;
        public int WriteAttempts { get; set; } = 6;
    }
}
