using System;
using System.Collections.Generic;
using E4Upgrade.Engine.Connection;

namespace E4Upgrade.Engine.Upgrade
{
    public sealed class UpgradeOptions
    {
        /// <summary>The target: one SKU, or a suite and its add-ons (GUIDs or part numbers), the suite first.</summary>
        public IReadOnlyList<string> TargetSkus { get; set; } = Array.Empty<string>();

        /// <summary>A single-SKU target (sets <see cref="TargetSkus"/>): GUID or part number (ENTERPRISEPREMIUM, SPE_E5, ...).</summary>
        public string TargetSku
        {
            get => string.Join(" + ", TargetSkus);
            set => TargetSkus = new[] { value };
        }
        /// <summary>Source SKU; defaults to the tenant's E4 SKU.</summary>
        public string? SourceSku { get; set; }
        /// <summary>The tenant id, for the journal's name and header (recommended; never a secret).</summary>
        public string? TenantId { get; set; }
        /// <summary>The journal file; default <see cref="UpgradeJournal.DefaultPath"/>.</summary>
        public string? JournalPath { get; set; }
        /// <summary>What a journal in blob storage (a JournalPath URL) is reached with besides a SAS; see <see cref="Upgrade.JournalAccess"/>.</summary>
        public JournalAccess? JournalAccess { get; set; }
        /// <summary>Blocker finding codes (see FindingCodes) the admin accepts; the run refuses on any other blocker.</summary>
        public IReadOnlyList<string> AcceptedFindings { get; set; } = Array.Empty<string>();
        /// <summary>When set, replaces the mapped disabled plans: plan names or ids of the target SKU (users and groups).</summary>
        public IReadOnlyList<string>? DisabledPlans { get; set; }
        /// <summary>Remove, in each user's swap, add-ons whose every plan the target includes (never one with a plan disabled in the target for that user).</summary>
        public bool RemoveRedundantAddOns { get; set; }
        /// <summary>Users with a direct E4 assignment and no usage location get this one before the move.</summary>
        public string? UsageLocation { get; set; }

        /// <summary>Wait for the target to be active, fully set up and to have enough free seats.</summary>
        public bool WaitForTarget { get; set; }
        public TimeSpan TargetWaitTimeout { get; set; } = TimeSpan.FromMinutes(30);
        public TimeSpan TargetPollInterval { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>
        /// How long to wait for Entra to process a group's members after the group swap. Null (the default): per group,
        /// <see cref="GroupProcessingBound.DefaultTimeout"/> of its member count (Microsoft's 24 h for 60,000 users, scaled,
        /// at least 60 minutes). Members still pending are verified by the next run.
        /// </summary>
        public TimeSpan? GroupProcessingTimeout { get; set; }
        public TimeSpan GroupPollInterval { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>Attempts for one group assignLicense call on 429/5xx/no answer.</summary>
        public int GroupWriteAttempts { get; set; } = 6;
        /// <summary>
        /// Group swaps sent and not yet verified at one time (each with its seats promised before it is sent); the phase
        /// verifies them together, so N groups take about as long as the slowest. 20 is our choice: Microsoft publishes
        /// no limit on groups Entra processes at once, and each one costs a member listing per poll.
        /// </summary>
        public int GroupSwapsInFlight { get; set; } = 20;

        /// <summary>
        /// -MaxRunDuration: the run stops cleanly before this much time has passed (see <see cref="RunDeadline"/>) and its
        /// summary says the work continues; null = no limit.
        /// </summary>
        public TimeSpan? MaxRunDuration { get; set; }

        /// <summary>When the session's token expires and cannot be refreshed (-AccessToken); null when it is refreshed.</summary>
        public DateTimeOffset? TokenExpiresOn { get; set; }

        /// <summary>-WhatIf: read everything and report the full plan; write nothing (not even the journal).</summary>
        public bool PlanOnly { get; set; }

        /// <summary>The session token's permissions, checked by eligibility before any change (null: not checked).</summary>
        public TokenPermissions? TokenPermissions { get; set; }
    }
}
