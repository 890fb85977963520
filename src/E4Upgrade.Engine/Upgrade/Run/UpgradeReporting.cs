using System;
using System.Collections.Generic;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Upgrade
{
    public enum UpgradePhase
    {
        Eligibility,
        WaitForTarget,
        DirectAssignments,
        GroupAssignments,
        Completion,
    }

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
    }

    /// <summary>The outcome for one group that assigned E4.</summary>
    public sealed class GroupUpgradeResult
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

    /// <summary>
    /// What the runner tells its host (the cmdlet) while it works. Calls come one at a time from the runner's async
    /// flow (never concurrently), but not on the caller's thread: a cmdlet queues them for its pipeline thread.
    /// </summary>
    public interface IUpgradeReporter
    {
        void PhaseStarted(UpgradePhase phase, string activity, long? total);
        void PhaseProgress(UpgradePhase phase, long completed, long? total, string status);
        void PhaseCompleted(UpgradePhase phase, string summary);
        void EligibilityChecked(EligibilityReport report);
        /// <summary>Every final per-user result, direct and group member (plan mode: WouldMove). For -PassThru.</summary>
        void UserResult(MoveResult result);
        void GroupResult(GroupUpgradeResult result);
        void Verbose(string message);
        void Warning(string message);
    }

    /// <summary>A reporter that drops everything.</summary>
    public sealed class NullUpgradeReporter : IUpgradeReporter
    {
        public void PhaseStarted(UpgradePhase phase, string activity, long? total) { }
        public void PhaseProgress(UpgradePhase phase, long completed, long? total, string status) { }
        public void PhaseCompleted(UpgradePhase phase, string summary) { }
        public void EligibilityChecked(EligibilityReport report) { }
        public void UserResult(MoveResult result) { }
        public void GroupResult(GroupUpgradeResult result) { }
        public void Verbose(string message) { }
        public void Warning(string message) { }
    }

    /// <summary>The result of Start-E4Upgrade. Flat counts; per-user results went to the reporter and the journal.</summary>
    public sealed class UpgradeSummary
    {
        public string SourceSku { get; internal set; } = "";
        public string TargetSku { get; internal set; } = "";
        public bool PlanOnly { get; internal set; }
        /// <summary>The run continued an existing journal.</summary>
        public bool Resumed { get; internal set; }
        public DateTimeOffset Started { get; internal set; }
        public TimeSpan Duration { get; internal set; }
        /// <summary>Direct assignments moved by this run (group members are counted in GroupMembers*).</summary>
        public long Moved { get; internal set; }
        public long AlreadyMoved { get; internal set; }
        public long Skipped { get; internal set; }
        public long Failed { get; internal set; }
        public long WouldMove { get; internal set; }
        /// <summary>Users the journal showed as finished (Moved/AlreadyMoved) by earlier runs; never sent again.</summary>
        public long DoneEarlier { get; internal set; }
        public int Groups { get; internal set; }
        public int GroupsSwapped { get; internal set; }
        public int GroupsFailed { get; internal set; }
        public int GroupsTimedOut { get; internal set; }
        public long GroupMembersMoved { get; internal set; }
        public long GroupMembersFailed { get; internal set; }
        public long GroupMembersPending { get; internal set; }
        /// <summary>Plan mode: group members that would move with their group.</summary>
        public long GroupMembersWouldMove { get; internal set; }
        /// <summary>Writes Graph answered with 429.</summary>
        public long Throttled { get; internal set; }
        public string? JournalPath { get; internal set; }
        /// <summary>Expected time for the direct users at Graph's write quota (from eligibility).</summary>
        public TimeSpan ExpectedDuration { get; internal set; }
        /// <summary>Entra's processing of the group members: an upper estimate (no published rate).</summary>
        public TimeSpan GroupProcessingEstimate { get; internal set; }
        public string DurationEstimate { get; internal set; } = "";
        public IReadOnlyList<string> AcceptedFindings { get; internal set; } = Array.Empty<string>();
        /// <summary>Nothing failed, nothing pending: E4 can be cancelled once Stop-E4Subscription agrees.</summary>
        public bool Succeeded => !PlanOnly && Failed == 0 && GroupsFailed == 0 && GroupsTimedOut == 0 && GroupMembersFailed == 0 && GroupMembersPending == 0;

        internal void Count(MoveResult result)
        {
            switch (result.Status)
            {
                case MoveStatus.Moved: Moved++; break;
                case MoveStatus.AlreadyMoved: AlreadyMoved++; break;
                case MoveStatus.Skipped: Skipped++; break;
                case MoveStatus.Failed: Failed++; break;
                case MoveStatus.WouldMove: WouldMove++; break;
            }
        }
    }
}
