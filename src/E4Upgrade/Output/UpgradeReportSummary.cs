using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Reporting;

namespace E4Upgrade.Output
{
    /// <summary>Get-E4UpgradeReport -Summary: one journal in a few numbers. Flat, so it goes into Export-Csv as it is.</summary>
    public sealed class UpgradeReportSummary
    {
        internal UpgradeReportSummary(JournalReportSummary summary)
        {
            JournalPath = summary.JournalPath;
            Tenant = summary.Tenant;
            From = UpgradeReportRecord.JoinSkus(summary.From);
            To = UpgradeReportRecord.JoinSkus(summary.To);
            Runs = summary.Runs;
            Completed = summary.Completed;
            Started = summary.Started;
            Ended = summary.Ended;
            ActiveTime = summary.ActiveTime;
            Users = summary.Users;
            Moved = summary.Moved;
            AlreadyMoved = summary.AlreadyMoved;
            Skipped = summary.Skipped;
            Failed = summary.Failed;
            Unconfirmed = summary.Unconfirmed;
            Groups = summary.Groups;
            GroupsSwapped = summary.GroupsSwapped;
            GroupsFailed = summary.GroupsFailed;
            GroupsPending = summary.GroupsPending;
            UsersPerSecond = summary.UsersPerSecond;
            Problems = summary.Problems;
            ByStatus = Describe(summary.Counts, withReason: false);
            ByReason = Describe(summary.Counts.Where(c => c.Reason != null), withReason: true);
            UndoRuns = summary.UndoRuns;
            Undone = summary.Undone;
            UndoSkipped = summary.UndoSkipped;
            UndoFailed = summary.UndoFailed;
        }

        public string JournalPath { get; }
        public string? Tenant { get; }
        public string From { get; }
        public string To { get; }
        public int Runs { get; }
        /// <summary>The last run finished (it was not stopped or killed).</summary>
        public bool Completed { get; }
        public DateTimeOffset Started { get; }
        public DateTimeOffset Ended { get; }
        /// <summary>The time the runs were working: from each run's start to its last record.</summary>
        public TimeSpan ActiveTime { get; }
        public int Users { get; }
        public int Moved { get; }
        public int AlreadyMoved { get; }
        public int Skipped { get; }
        public int Failed { get; }
        public int Unconfirmed { get; }
        public int Groups { get; }
        public int GroupsSwapped { get; }
        public int GroupsFailed { get; }
        public int GroupsPending { get; }
        /// <summary>Users decided per second of ActiveTime.</summary>
        public double UsersPerSecond { get; }
        public int Problems { get; }
        /// <summary>Counts per kind and status, e.g. "User Moved: 280; User Failed: 1; Group Swapped: 3".</summary>
        public string ByStatus { get; }
        /// <summary>Counts per kind, status and reason, e.g. "User Failed UsageLocationMissing: 1".</summary>
        public string ByReason { get; }
        /// <summary>Undo-E4Upgrade runs on this journal; 0 when it was never undone.</summary>
        public int UndoRuns { get; }
        /// <summary>Users and groups an undo gave their source back (Undone or AlreadyUndone).</summary>
        public int Undone { get; }
        /// <summary>Users and groups an undo left as they were; the Undo rows say why.</summary>
        public int UndoSkipped { get; }
        /// <summary>Users and groups whose undo failed or has no recorded answer; the next undo takes them again.</summary>
        public int UndoFailed { get; }

        private static string Describe(IEnumerable<ReportCount> counts, bool withReason) =>
            string.Join("; ", counts
                .GroupBy(c => withReason ? $"{c.Kind} {c.Status} {c.Reason}" : $"{c.Kind} {c.Status}")
                .Select(g => $"{g.Key}: {g.Sum(c => c.Count)}"));
    }
}
