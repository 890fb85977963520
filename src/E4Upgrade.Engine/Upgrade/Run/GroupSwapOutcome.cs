using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Upgrade
{
    public enum GroupUpgradeStatus
    {
        /// <summary>Swap sent and every member verified.</summary>
        Swapped,
        /// <summary>Plan mode: the group would be swapped.</summary>
        WouldSwap,
        /// <summary>The swap call failed; the group still assigns E4.</summary>
        Failed,
        /// <summary>Swap sent; some members reported errors (see the member results).</summary>
        SwappedWithErrors,
        /// <summary>Swap sent; members were still processing when the timeout ran out. Run again to verify.</summary>
        TimedOut,
        /// <summary>An earlier run swapped the group, which was deleted before its members were verified.</summary>
        Gone,
    }

    /// <summary>The engine's outcome for one group that assigned E4 (the cmdlet shows it as Output.GroupUpgradeResult).</summary>
    public sealed class GroupSwapOutcome
    {
        public string GroupId { get; internal set; } = "";
        public string DisplayName { get; internal set; } = "";
        public GroupUpgradeStatus Status { get; internal set; }
        public IReadOnlyList<string> DisabledPlansBefore { get; internal set; } = Array.Empty<string>();
        public IReadOnlyList<string> DisabledPlansAfter { get; internal set; } = Array.Empty<string>();
        public IReadOnlyList<string> DroppedPlans { get; internal set; } = Array.Empty<string>();
        /// <summary>Target plans disabled because a plan they depend on is disabled: "PLAN (SKU): why".</summary>
        public IReadOnlyList<string> AdjustedPlans { get; internal set; } = Array.Empty<string>();
        public int Members { get; internal set; }
        public int MembersMoved { get; internal set; }
        public int MembersFailed { get; internal set; }
        public int MembersPending { get; internal set; }
        public string? Message { get; internal set; }
    }
}
