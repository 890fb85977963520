using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Reporting
{
    public enum ReportRecordKind
    {
        User,
        Group,
        /// <summary>What Undo-E4Upgrade did to a user or group (UserId or GroupId set).</summary>
        Undo,
    }

    /// <summary>
    /// What the journal says finally happened to one user or one group. A user moved with a group (a member result)
    /// is a row of its own, with GroupId set, apart from a direct move of the same user.
    /// </summary>
    public sealed class JournalReportRecord
    {
        public ReportRecordKind Kind { get; internal set; }
        /// <summary>When the record that decided the status was written.</summary>
        public DateTimeOffset Time { get; internal set; }
        public string? UserId { get; internal set; }
        public string? UserPrincipalName { get; internal set; }
        public string? GroupId { get; internal set; }
        public string? GroupName { get; internal set; }
        /// <summary>The SKU(s) the run moved from and to; several for a compound target.</summary>
        public IReadOnlyList<string> From { get; internal set; } = Array.Empty<string>();
        public IReadOnlyList<string> To { get; internal set; } = Array.Empty<string>();
        /// <summary>
        /// Users: Moved, AlreadyMoved, Skipped, Failed, or Unconfirmed (a write was sent and no answer was recorded).
        /// Groups: Swapped, SwappedWithErrors, Failed, Sent (members not verified yet), TimedOut (members still
        /// processing) or Unconfirmed (the swap was about to be sent when the run stopped).
        /// </summary>
        public string Status { get; internal set; } = "";
        /// <summary>The error id for Skipped and Failed users; null otherwise.</summary>
        public string? Reason { get; internal set; }
        public string? Message { get; internal set; }
        public IReadOnlyList<string> DisabledPlansBefore { get; internal set; } = Array.Empty<string>();
        public IReadOnlyList<string> DisabledPlansAfter { get; internal set; } = Array.Empty<string>();
        public IReadOnlyList<string> DroppedPlans { get; internal set; } = Array.Empty<string>();
        /// <summary>Users: assignLicense writes sent over every run. Groups: swap calls journaled over every run.</summary>
        public int Attempts { get; internal set; }
        /// <summary>Groups: members seen when they were last verified.</summary>
        public int? Members { get; internal set; }
        public int? MembersFailed { get; internal set; }
        /// <summary>The run that wrote the deciding record: its number in the journal (1 for the first run).</summary>
        public int Run { get; internal set; }
        /// <summary>That run's id; null in journals written before runs were named.</summary>
        public string? RunId { get; internal set; }
        public DateTimeOffset RunStarted { get; internal set; }
        /// <summary>Groups: when the swap was last sent (its groupSent record); null when the journal has none.</summary>
        public DateTimeOffset? SentAt { get; internal set; }
    }

    /// <summary>A problem met while reading a journal that did not stop the reading (the records before it still count).</summary>
    public sealed class JournalReadProblem
    {
        internal JournalReadProblem(string errorId, string message, long line)
        {
            ErrorId = errorId;
            Message = message;
            Line = line;
        }

        /// <summary>JournalTruncated or JournalCorrupt.</summary>
        public string ErrorId { get; }
        public string Message { get; }
        public long Line { get; }
    }
}
