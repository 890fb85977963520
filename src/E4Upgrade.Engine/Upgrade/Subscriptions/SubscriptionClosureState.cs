using System;
using System.Collections.Generic;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>The state of the E4 subscription after Stop-E4Subscription, and what the admin must still do.</summary>
    public sealed class SubscriptionClosureState
    {
        public string SkuPartNumber { get; internal set; } = "";
        public Guid SkuId { get; internal set; }
        public string Status { get; internal set; } = "";
        public int Enabled { get; internal set; }
        public int Consumed { get; internal set; }
        public int Suspended { get; internal set; }
        public int Warning { get; internal set; }
        public int LockedOut { get; internal set; }
        /// <summary>Sum of totalLicenses over the linked subscriptions.</summary>
        public int TotalLicenses { get; internal set; }
        public string SubscriptionIds { get; internal set; } = "";
        // Internal: a nested list would break Export-Csv; SubscriptionIds and SubscriptionStatus carry it flat.
        internal IReadOnlyList<LinkedSubscription> Subscriptions { get; set; } = Array.Empty<LinkedSubscription>();
        /// <summary>Users E4 was removed from by this call (-Force); each of them holds the target.</summary>
        public int RemovedFromUsers { get; internal set; }
        public IReadOnlyList<string> RemovedUserPrincipalNames { get; internal set; } = Array.Empty<string>();
        /// <summary>No seat used, no group assigning it: E4 can be cancelled.</summary>
        public bool ReadyToCancel { get; internal set; }
        /// <summary>Always false: Graph has no call that cancels a subscription bought from Microsoft.</summary>
        public bool CanCancelThroughApi => false;
        /// <summary>What the admin does next, in plain words.</summary>
        public string NextSteps { get; internal set; } = "";
    }
}
