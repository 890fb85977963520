using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Moves
{
    public enum MoveStatus
    {
        Moved,
        AlreadyMoved,
        Skipped,
        Failed,
        /// <summary>Plan mode (-WhatIf): the user would be moved; nothing was written.</summary>
        WouldMove,
    }

    /// <summary>A user as the caller named them: an object id or a userPrincipalName.</summary>
    public sealed class UserReference
    {
        public UserReference(string key, string? userPrincipalName = null)
        {
            Key = key;
            UserPrincipalName = userPrincipalName;
        }

        /// <summary>Object id or UPN, as given.</summary>
        public string Key { get; }
        public string? UserPrincipalName { get; }
    }

    public sealed class MoveOptions
    {
        /// <summary>Source SKU: GUID or skuPartNumber.</summary>
        public string FromSku { get; set; } = "";
        /// <summary>The target: one SKU, or a suite and its add-ons (GUIDs or skuPartNumbers), the suite first.</summary>
        public IReadOnlyList<string> ToSkus { get; set; } = Array.Empty<string>();

        /// <summary>A single-SKU target (sets <see cref="ToSkus"/>).</summary>
        public string ToSku
        {
            get => string.Join(" + ", ToSkus);
            set => ToSkus = new[] { value };
        }

        /// <summary>Also remove, in the same call, add-ons whose every plan the target includes (never one with a plan disabled in the target for the user).</summary>
        public bool RemoveRedundantAddOns { get; set; }
        /// <summary>When set, replaces the mapped disabled plans: plan names or ids of the target SKU.</summary>
        public IReadOnlyList<string>? DisabledPlans { get; set; }
        /// <summary>When set, users without a usage location get this one (PATCH) before the assignment.</summary>
        public string? UsageLocation { get; set; }
        /// <summary>Read and decide, write nothing.</summary>
        public bool PlanOnly { get; set; }
    }

    /// <summary>The outcome for one input user. Property names are public API (CSV columns).</summary>
    public sealed class MoveResult
    {
        public string UserId { get; set; } = "";
        public string UserPrincipalName { get; set; } = "";
        public MoveStatus Status { get; set; }
        /// <summary>The error id (see ErrorIds) for Skipped and Failed; null otherwise.</summary>
        public string? Reason { get; set; }
        public string? Message { get; set; }
        public IReadOnlyList<string> DisabledPlansBefore { get; set; } = Array.Empty<string>();
        public IReadOnlyList<string> DisabledPlansAfter { get; set; } = Array.Empty<string>();
        /// <summary>Disabled source plans that have no counterpart in the target.</summary>
        public IReadOnlyList<string> DroppedPlans { get; set; } = Array.Empty<string>();
        /// <summary>Target plans disabled because a plan they depend on is disabled: "PLAN (SKU): why".</summary>
        public IReadOnlyList<string> AdjustedPlans { get; set; } = Array.Empty<string>();
        /// <summary>Redundant add-on SKUs removed in the same call (-RemoveRedundantAddOns), by part number.</summary>
        public IReadOnlyList<string> RemovedAddOns { get; set; } = Array.Empty<string>();
        /// <summary>Group the source license is inherited from (Reason InheritedFromGroup).</summary>
        public string? GroupId { get; set; }
        /// <summary>assignLicense attempts sent for this user.</summary>
        public int Attempts { get; set; }
    }

    /// <summary>Counters reported while a move runs.</summary>
    public sealed class MoveProgress
    {
        public long Received { get; set; }
        public long Completed { get; set; }
        public long Moved { get; set; }
        public long Failed { get; set; }
        public long Throttled { get; set; }
        public TimeSpan Elapsed { get; set; }
        public double UsersPerSecond => Elapsed.TotalSeconds > 0 ? Completed / Elapsed.TotalSeconds : 0;
        public long AlreadyMoved { get; set; }
        public long Skipped { get; set; }
        /// <summary>Input items naming a user already taken (same id or UPN, any case); they get no result of their own.</summary>
        public long Duplicates { get; set; }
        /// <summary>assignLicense and usage-location writes sent, retries included.</summary>
        public long WritesSent { get; set; }
        /// <summary>The pacer's current write rate (writes per second).</summary>
        public double WriteRate { get; set; }
        /// <summary>Graph's latest x-ms-throttle-limit-percentage; null while below 0.8.</summary>
        public double? LimitPercentage { get; set; }
    }
}
