using System.Collections.Generic;
using E4Upgrade.Engine.Upgrade;

namespace E4Upgrade.Output
{
    /// <summary>One group's outcome in Start-E4Upgrade, flat so it goes into Export-Csv as it is.</summary>
    public sealed class GroupUpgradeResult
    {
        internal GroupUpgradeResult(GroupSwapOutcome result)
        {
            GroupId = result.GroupId;
            DisplayName = result.DisplayName;
            Status = result.Status.ToString();
            DisabledPlansBefore = Join(result.DisabledPlansBefore);
            DisabledPlansAfter = Join(result.DisabledPlansAfter);
            DroppedPlans = Join(result.DroppedPlans);
            AdjustedPlans = Join(result.AdjustedPlans);
            Members = result.Members;
            MembersMoved = result.MembersMoved;
            MembersFailed = result.MembersFailed;
            MembersPending = result.MembersPending;
            Message = result.Message;
        }

        public string GroupId { get; }
        public string DisplayName { get; }
        /// <summary>Swapped, WouldSwap, Failed, SwappedWithErrors, TimedOut or Gone (deleted after an earlier run swapped it).</summary>
        public string Status { get; }
        public string DisabledPlansBefore { get; }
        public string DisabledPlansAfter { get; }
        public string DroppedPlans { get; }
        /// <summary>Target plans disabled because a plan they depend on is disabled ("PLAN (SKU): why; ...").</summary>
        public string AdjustedPlans { get; }
        public int Members { get; }
        public int MembersMoved { get; }
        public int MembersFailed { get; }
        public int MembersPending { get; }
        public string? Message { get; }

        private static string Join(IReadOnlyList<string> values) => string.Join("; ", values);
    }
}
