using System;
using System.Collections.Generic;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Upgrade
{
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
        /// <summary>
        /// Users this run reported moved whom the last listing still showed holding E4 directly, after they were read
        /// and decided again: a change reverted behind the run, or a listing that has not caught up. Not Succeeded.
        /// </summary>
        public long DirectHoldersLeft { get; internal set; }
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
        /// <summary>This run's id in the journal: Get-E4UpgradeReport names the run that decided each user with it.</summary>
        public string? RunId { get; internal set; }
        public IReadOnlyList<string> AcceptedFindings { get; internal set; } = Array.Empty<string>();
        /// <summary>The run stopped at -MaxRunDuration with work left: run the same command again (see NextRunAfter).</summary>
        public bool Continues { get; internal set; }
        /// <summary>When a stopped run's next job should start: at once when users are left, after a poll interval when only groups being processed are.</summary>
        public DateTimeOffset? NextRunAfter { get; internal set; }
        /// <summary>Users this run took up but left for the next run when it stopped (reported Cancelled, not failed).</summary>
        public long LeftForNextRun { get; internal set; }
        /// <summary>Planned (-WhatIf), Continues (stopped at -MaxRunDuration), Completed (Succeeded) or Incomplete.</summary>
        public string State => PlanOnly ? "Planned" : Continues ? "Continues" : Succeeded ? "Completed" : "Incomplete";
        /// <summary>Nothing failed, nothing pending: E4 can be cancelled once Stop-E4Subscription agrees.</summary>
        public bool Succeeded => !PlanOnly && !Continues && LeftForNextRun == 0 && Failed == 0 && DirectHoldersLeft == 0 && GroupsFailed == 0 && GroupsTimedOut == 0 && GroupMembersFailed == 0 && GroupMembersPending == 0;

        internal void Count(MoveResult result)
        {
            switch (result.Status)
            {
                case MoveStatus.Moved: Moved++; break;
                case MoveStatus.AlreadyMoved: AlreadyMoved++; break;
                case MoveStatus.Skipped: Skipped++; break;
                case MoveStatus.Failed when result.Reason == ErrorIds.Cancelled: LeftForNextRun++; break;
                case MoveStatus.Failed: Failed++; break;
                case MoveStatus.WouldMove: WouldMove++; break;
            }
        }

        /// <summary>Takes back a result counted earlier in the run, for a user decided again.</summary>
        internal void Uncount(MoveStatus status)
        {
            switch (status)
            {
                case MoveStatus.Moved: Moved--; break;
                case MoveStatus.AlreadyMoved: AlreadyMoved--; break;
                case MoveStatus.Skipped: Skipped--; break;
                case MoveStatus.Failed: Failed--; break;
                case MoveStatus.WouldMove: WouldMove--; break;
            }
        }
    }
}
