using System.Collections.Generic;
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
        /// With Force, E4 is removed only from users holding every SKU of this target (a suite and its add-ons), each
        /// Enabled. Default: any of the Enabled suites E4 users move to (see <see cref="E4SkuFamily.UpgradeTargets"/>).
        /// </summary>
        public IReadOnlyList<string> TargetSkus { get; set; } = System.Array.Empty<string>();
        /// <summary>
        /// Remove leftover direct assignments of the source from users who already hold the target: Stop-E4Subscription's
        /// -RemoveFromUsersWithTarget (its -Force only skips the question).
        /// </summary>
        public bool Force { get; set; }
        /// <summary>How many users an error message names before "and N more".</summary>
        public int MaxNamed { get; set; } = 20;
        public int WriteAttempts { get; set; } = 6;
        /// <summary>
        /// How long a read may still show a user as before a removal (as MoveEngineSettings.ReplicationLag): a removal
        /// with no definite answer is read back only after this long, and sent again only if the read still shows E4.
        /// </summary>
        public System.TimeSpan ReplicationLag { get; set; } = System.TimeSpan.FromSeconds(5);
        /// <summary>
        /// The add-ons (part numbers) the run's journal records as removed from users (UndoLedger.RemovedAddOns). Only
        /// these are listed as freed; null (no journal) lists none, since nothing says the run freed any.
        /// </summary>
        public IReadOnlyCollection<string>? RemovedAddOns { get; set; }
    }
}
