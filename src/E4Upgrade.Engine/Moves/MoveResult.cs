using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Moves
{
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
        /// <summary>
        /// The target SKUs the user held directly before the write, with their disabled plans: journaled so that
        /// Undo-E4Upgrade keeps them as they were. Internal: not a CSV column.
        /// </summary>
        internal IReadOnlyDictionary<Guid, IReadOnlyList<Guid>>? TargetsHeldBefore { get; set; }
    }
}
