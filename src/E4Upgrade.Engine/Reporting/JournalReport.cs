using System;
using System.Collections.Generic;
using E4Upgrade.Engine.Upgrade;

namespace E4Upgrade.Engine.Reporting
{
    /// <summary>One journal read back: its runs, one record per user and per group, and what could not be read.</summary>
    public sealed class JournalReport
    {
        internal JournalReport(string path, string? tenant, IReadOnlyList<JournalRun> runs, IReadOnlyList<JournalReportRecord> records,
            IReadOnlyList<JournalReadProblem> problems, DateTimeOffset? lastRecordAt, UndoLedger? undo = null)
        {
            Undo = undo ?? new UndoLedger();
            Path = path;
            Tenant = tenant;
            Runs = runs;
            Records = records;
            Problems = problems;
            LastRecordAt = lastRecordAt;
        }

        public string Path { get; }
        public string? Tenant { get; }
        public IReadOnlyList<JournalRun> Runs { get; }
        /// <summary>Users first, then groups, each in the order the journal first named them.</summary>
        public IReadOnlyList<JournalReportRecord> Records { get; }
        public IReadOnlyList<JournalReadProblem> Problems { get; }
        public DateTimeOffset? LastRecordAt { get; }
        /// <summary>What Undo-E4Upgrade did with this journal: its runs and the latest undo record of each user and group (empty when never undone).</summary>
        public UndoLedger Undo { get; }
    }

    /// <summary>One run that wrote to the journal.</summary>
    public sealed class JournalRun
    {
        public int Number { get; internal set; }
        public string? RunId { get; internal set; }
        public DateTimeOffset Started { get; internal set; }
        /// <summary>The time of the run's last record: its end, or the moment it stopped.</summary>
        public DateTimeOffset LastRecordAt { get; internal set; }
        public bool Completed { get; internal set; }
        public IReadOnlyList<string> From { get; internal set; } = Array.Empty<string>();
        public IReadOnlyList<string> To { get; internal set; } = Array.Empty<string>();
        /// <summary>The blockers the run accepted (-AcceptFinding); empty when none or not recorded (see <see cref="RanBy"/>).</summary>
        public IReadOnlyList<string> AcceptedFindings { get; internal set; } = Array.Empty<string>();
        /// <summary>The account and machine that ran it; null in journals written before it was recorded.</summary>
        public string? RanBy { get; internal set; }
        public TimeSpan ActiveTime => LastRecordAt > Started ? LastRecordAt - Started : TimeSpan.Zero;
    }
}
