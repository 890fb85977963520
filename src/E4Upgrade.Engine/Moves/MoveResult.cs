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
        /// <summary>Group the source license is inherited from (Reason InheritedFromGroup).</summary>
        public string? GroupId { get; set; }
        /// <summary>assignLicense attempts sent for this user.</summary>
        public int Attempts { get; set; }
    }
}
