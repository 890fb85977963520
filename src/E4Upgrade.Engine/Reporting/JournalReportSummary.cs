using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Upgrade;

namespace E4Upgrade.Engine.Reporting
{
    /// <summary>How many records share a kind, status and reason.</summary>
    public sealed class ReportCount
    {
        internal ReportCount(ReportRecordKind kind, string status, string? reason, int count)
        {
            Kind = kind;
            Status = status;
            Reason = reason;
            Count = count;
        }

        public ReportRecordKind Kind { get; }
        public string Status { get; }
        public string? Reason { get; }
        public int Count { get; }
    }

    /// <summary>
    /// A journal in a few numbers: counts per status and reason, start and end, and throughput. Throughput is the
    /// users the runs decided (every user record but Unconfirmed) per second of the runs' active time: the time from
    /// each run's start to its last record, so the pause between a stopped run and its resumption does not count.
    /// </summary>
    public sealed class JournalReportSummary
    {
        public string JournalPath { get; private set; } = "";
        public string? Tenant { get; private set; }
        public IReadOnlyList<string> From { get; private set; } = Array.Empty<string>();
        public IReadOnlyList<string> To { get; private set; } = Array.Empty<string>();
        public int Runs { get; private set; }
        /// <summary>The last run wrote its completion record (it was not stopped).</summary>
        public bool Completed { get; private set; }
        public DateTimeOffset Started { get; private set; }
        public DateTimeOffset Ended { get; private set; }
        public TimeSpan ActiveTime { get; private set; }
        public int Users { get; private set; }
        public int Moved { get; private set; }
        public int AlreadyMoved { get; private set; }
        public int Skipped { get; private set; }
        public int Failed { get; private set; }
        public int Unconfirmed { get; private set; }
        public int Groups { get; private set; }
        public int GroupsSwapped { get; private set; }
        public int GroupsFailed { get; private set; }
        /// <summary>Groups sent, timed out or unconfirmed: the next run verifies them.</summary>
        public int GroupsPending { get; private set; }
        public double UsersPerSecond { get; private set; }
        /// <summary>Lines the reader could not use (a cut-short last line, an unreadable line).</summary>
        public int Problems { get; private set; }
        public IReadOnlyList<ReportCount> Counts { get; private set; } = Array.Empty<ReportCount>();
        /// <summary>Undo-E4Upgrade runs on this journal (0 when it was never undone).</summary>
        public int UndoRuns { get; private set; }
        /// <summary>Users and groups given back their source (Undone and AlreadyUndone).</summary>
        public int Undone { get; private set; }
        /// <summary>Users and groups an undo left as they were (changed since the run, not recorded); see each Undo row's Reason.</summary>
        public int UndoSkipped { get; private set; }
        /// <summary>Users and groups whose undo failed or has no recorded answer: the next undo takes them again.</summary>
        public int UndoFailed { get; private set; }

        public static JournalReportSummary Of(JournalReport report)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            var users = report.Records.Where(r => r.Kind == ReportRecordKind.User).ToList();
            var groups = report.Records.Where(r => r.Kind == ReportRecordKind.Group).ToList();
            var active = TimeSpan.FromTicks(report.Runs.Sum(r => r.ActiveTime.Ticks));
            var decided = users.Count(u => u.Status != ReportStatuses.Unconfirmed);
            var last = report.Runs[report.Runs.Count - 1];
            return new JournalReportSummary
            {
                JournalPath = report.Path,
                Tenant = report.Tenant,
                From = last.From,
                To = last.To,
                Runs = report.Runs.Count,
                Completed = last.Completed,
                Started = report.Runs[0].Started,
                Ended = report.LastRecordAt ?? last.LastRecordAt,
                ActiveTime = active,
                Users = users.Count,
                Moved = Count(users, nameof(MoveStatus.Moved)),
                AlreadyMoved = Count(users, nameof(MoveStatus.AlreadyMoved)),
                Skipped = Count(users, nameof(MoveStatus.Skipped)),
                Failed = Count(users, nameof(MoveStatus.Failed)),
                Unconfirmed = Count(users, ReportStatuses.Unconfirmed),
                Groups = groups.Count,
                GroupsSwapped = groups.Count(g => g.Status == ReportStatuses.Swapped || g.Status == ReportStatuses.SwappedWithErrors),
                GroupsFailed = Count(groups, ReportStatuses.Failed),
                GroupsPending = groups.Count(g => g.Status == ReportStatuses.Sent || g.Status == ReportStatuses.TimedOut || g.Status == ReportStatuses.Unconfirmed),
                UsersPerSecond = active.TotalSeconds > 0 ? Math.Round(decided / active.TotalSeconds, 2) : 0,
                Problems = report.Problems.Count,
                Counts = report.Records
                    .GroupBy(r => (r.Kind, r.Status, r.Reason))
                    .OrderBy(g => g.Key.Kind).ThenByDescending(g => g.Count()).ThenBy(g => g.Key.Status, StringComparer.Ordinal).ThenBy(g => g.Key.Reason, StringComparer.Ordinal)
                    .Select(g => new ReportCount(g.Key.Kind, g.Key.Status, g.Key.Reason, g.Count()))
                    .ToList(),
                UndoRuns = report.Undo.Runs.Count,
                Undone = report.Undo.Entries.Count(e => e.Done),
                UndoSkipped = report.Undo.Entries.Count(e => e.Status == nameof(UndoStatus.Skipped)),
                UndoFailed = report.Undo.Entries.Count(e => e.Status == nameof(UndoStatus.Failed) || e.Status == UndoStatuses.Unconfirmed),
            };
        }

        private static int Count(IEnumerable<JournalReportRecord> records, string status) => records.Count(r => r.Status == status);
    }
}
