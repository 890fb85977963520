using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Reporting
{
    /// <summary>
    /// What the HTML report shows, built from a journal read back (<see cref="JournalReportReader"/>): the same records
    /// and the same summary Get-E4UpgradeReport writes, arranged for a reader (runs, totals, the moves over time,
    /// groups with their members, failures with their next step). Holds no HTML.
    /// </summary>
    public sealed class ReportModel
    {
        private ReportModel(JournalReport report, JournalReportSummary summary, MovesOverTime moves, IReadOnlyList<GroupReportRow> groups, IReadOnlyList<FailureReportRow> failures)
        {
            Report = report;
            Summary = summary;
            Moves = moves;
            Groups = groups;
            Failures = failures;
        }

        public JournalReport Report { get; }
        public JournalReportSummary Summary { get; }
        public MovesOverTime Moves { get; }
        public IReadOnlyList<GroupReportRow> Groups { get; }
        /// <summary>Every user and group the journal leaves Failed, Skipped, Unconfirmed, pending or with failed members.</summary>
        public IReadOnlyList<FailureReportRow> Failures { get; }

        public static ReportModel From(JournalReport report)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            var members = report.Records.Where(r => r.Kind == ReportRecordKind.User && r.GroupId != null)
                .ToLookup(r => r.GroupId!, StringComparer.OrdinalIgnoreCase);
            var groups = report.Records.Where(r => r.Kind == ReportRecordKind.Group)
                .Select(g => new GroupReportRow(g, members[g.GroupId!].ToList()))
                .ToList();
            var failures = report.Records.Where(FailureReportRow.IsFailure).Select(r => new FailureReportRow(r)).ToList();
            return new ReportModel(report, JournalReportSummary.Of(report), MovesOverTime.Of(report), groups, failures);
        }
    }

    /// <summary>One group: when its swap was sent and when its members were last verified, and how its members ended.</summary>
    public sealed class GroupReportRow
    {
        internal GroupReportRow(JournalReportRecord group, IReadOnlyList<JournalReportRecord> members)
        {
            Record = group;
            MemberOutcomes = members.GroupBy(m => m.Status, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new KeyValuePair<string, int>(g.Key, g.Count()))
                .ToList();
        }

        public JournalReportRecord Record { get; }
        /// <summary>When the swap was sent; null when the journal has no send for it.</summary>
        public DateTimeOffset? SentAt => Record.SentAt;
        /// <summary>When the members were last verified (Swapped, SwappedWithErrors, TimedOut); null before that.</summary>
        public DateTimeOffset? ProcessedAt =>
            Record.Status == ReportStatuses.Swapped || Record.Status == ReportStatuses.SwappedWithErrors || Record.Status == ReportStatuses.TimedOut
                ? Record.Time
                : (DateTimeOffset?)null;
        /// <summary>The members the journal recorded a result for, counted by status (Moved 40, Failed 2).</summary>
        public IReadOnlyList<KeyValuePair<string, int>> MemberOutcomes { get; }
    }

    /// <summary>A user or group that did not end as moved, with what to do about it.</summary>
    public sealed class FailureReportRow
    {
        internal FailureReportRow(JournalReportRecord record)
        {
            Record = record;
            NextStep = FailureNextSteps.For(record);
        }

        public JournalReportRecord Record { get; }
        public string NextStep { get; }

        internal static bool IsFailure(JournalReportRecord r) =>
            r.Kind == ReportRecordKind.Undo ? false // the undo section lists what an undo did not give back
            : r.Kind == ReportRecordKind.User
                ? r.Status != nameof(MoveStatus.Moved) && r.Status != nameof(MoveStatus.AlreadyMoved)
                : r.Status != ReportStatuses.Swapped;
    }
}
