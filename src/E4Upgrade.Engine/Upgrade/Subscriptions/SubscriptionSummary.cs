using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Upgrade
{
    public enum SubscriptionRole
    {
        /// <summary>An Office 365 E4 SKU (or variant): what the upgrade moves away from.</summary>
        Source,
        /// <summary>The SKU named as the upgrade target.</summary>
        Target,
        Other,
    }

    /// <summary>One companySubscription linked to a SKU.</summary>
    public sealed class LinkedSubscription
    {
        public string Id { get; internal set; } = "";
        public string? CommerceSubscriptionId { get; internal set; }
        public string Status { get; internal set; } = "";
        public bool IsTrial { get; internal set; }
        public int TotalLicenses { get; internal set; }
        public DateTimeOffset? CreatedDateTime { get; internal set; }
        public DateTimeOffset? NextLifecycleDateTime { get; internal set; }

        public override string ToString() => Id + " " + Status + (IsTrial ? " (trial)" : "") + " " + TotalLicenses;
    }

    /// <summary>
    /// A tenant SKU with its seats and linked subscriptions. Flat, CSV-friendly properties; the per-subscription
    /// detail is also in <see cref="Subscriptions"/>.
    /// </summary>
    public sealed class SubscriptionSummary
    {
        public SubscriptionRole Role { get; internal set; }
        public string SkuPartNumber { get; internal set; } = "";
        public Guid SkuId { get; internal set; }
        /// <summary>subscribedSku.capabilityStatus: Enabled, Warning, Suspended, Deleted, LockedOut.</summary>
        public string Status { get; internal set; } = "";
        public string AppliesTo { get; internal set; } = "";
        /// <summary>Seats bought and active (prepaidUnits.enabled).</summary>
        public int Enabled { get; internal set; }
        /// <summary>Seats assigned (consumedUnits).</summary>
        public int Consumed { get; internal set; }
        /// <summary>Seats still assignable: Enabled - Consumed.</summary>
        public int Available { get; internal set; }
        public int Suspended { get; internal set; }
        public int Warning { get; internal set; }
        public int LockedOut { get; internal set; }
        public int SubscriptionCount { get; internal set; }
        /// <summary>Ids of the linked subscriptions, joined with "; ".</summary>
        public string SubscriptionIds { get; internal set; } = "";
        /// <summary>Distinct statuses of the linked subscriptions, joined with "; ".</summary>
        public string SubscriptionStatus { get; internal set; } = "";
        /// <summary>True when any linked subscription is a trial.</summary>
        public bool IsTrial { get; internal set; }
        /// <summary>Sum of totalLicenses over the linked subscriptions.</summary>
        public int TotalLicenses { get; internal set; }
        /// <summary>The earliest nextLifecycleDateTime of the linked subscriptions.</summary>
        public DateTimeOffset? NextLifecycleDateTime { get; internal set; }
        /// <summary>Service plans not yet fully set up (PendingProvisioning, PendingActivation, PendingInput, Error), joined with "; ".</summary>
        public string PendingServicePlans { get; internal set; } = "";
        // Internal: a nested list would break Export-Csv; SubscriptionIds and SubscriptionStatus carry it flat.
        internal IReadOnlyList<LinkedSubscription> Subscriptions { get; set; } = Array.Empty<LinkedSubscription>();
    }
}
