using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Reporting;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>One user (or one user with one group) as the journal's records left them.</summary>
    internal sealed class ReplayedUser
    {
        public ReplayedUser(string userId, string? groupId)
        {
            Record.UserId = userId;
            Record.GroupId = groupId;
        }

        /// <summary>What a report shows; its details (messages, plans) are kept only when the replay was asked for them.</summary>
        public JournalReportRecord Record { get; } = new JournalReportRecord { Kind = ReportRecordKind.User };
        /// <summary>Direct: moved without a group (sending and result records); else a member result.</summary>
        public bool Direct => Record.GroupId == null;
        /// <summary>Writes journaled as about to be sent, over every run.</summary>
        public int Sendings { get; set; }
        public int ResultAttempts { get; set; }
        /// <summary>The latest record is a final result: Moved, AlreadyMoved, or the user was found deleted.</summary>
        public bool Done { get; set; }
    }

    /// <summary>One group as the journal's records left it.</summary>
    internal sealed class ReplayedGroup
    {
        public JournalReportRecord Record { get; } = new JournalReportRecord { Kind = ReportRecordKind.Group };
        public GroupJournalStage Stage { get; set; }
    }

    /// <summary>
    /// The one reading of a journal's records, for a resumed run (<see cref="JournalState"/>) and for a report
    /// (<see cref="JournalReportReader"/>) alike: which file is a journal, a torn last line, an unreadable or over-long
    /// line, and what each record means for a user, a group, a run and the learnt plan dependencies.
    /// A run (strict) refuses a journal with an unreadable line (JournalCorrupt); a report (lenient) skips the line and
    /// says so in <see cref="Problems"/>.
    /// </summary>
    internal sealed class JournalReplay
    {
        private readonly string _location;
        private readonly bool _lenient;
        private readonly bool _details;
        private readonly Dictionary<string, ReplayedUser> _users = new Dictionary<string, ReplayedUser>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, ReplayedGroup> _groups = new Dictionary<string, ReplayedGroup>(StringComparer.OrdinalIgnoreCase);
        private long _lineNumber;

        private JournalReplay(string location, bool lenient, bool details)
        {
            _location = location;
            _lenient = lenient;
            _details = details;
        }

        public JournalHeader? Header { get; private set; }
        /// <summary>The tenant of the first run record, as written.</summary>
        public string? Tenant { get; private set; }
        public List<JournalRun> Runs { get; } = new List<JournalRun>();
        public List<ReplayedUser> Users { get; } = new List<ReplayedUser>();
        public List<ReplayedGroup> Groups { get; } = new List<ReplayedGroup>();
        public List<LearntDependency> LearntDependencies { get; } = new List<LearntDependency>();
        public List<JournalReadProblem> Problems { get; } = new List<JournalReadProblem>();
        /// <summary>The last run wrote its completion record.</summary>
        public bool Completed { get; private set; }
        public bool TornTail { get; private set; }
        /// <summary>Bytes up to the end of the last complete line.</summary>
        public long ValidLength { get; private set; }
        public DateTimeOffset? LastRecordAt { get; private set; }
        /// <summary>What runs moved that an undo can reverse, and what undos did (Undo-E4Upgrade and the report).</summary>
        public UndoLedger Undo { get; } = new UndoLedger();

        /// <param name="lenient">A report: an unreadable line inside is a problem, not an error.</param>
        /// <param name="details">Keep what a report shows (messages, plans, times); a resumed run needs only the outcomes.</param>
        public static JournalReplay Read(Stream stream, string location, bool lenient, bool details)
        {
            var replay = new JournalReplay(location, lenient, details);
            // The run's own stream has no buffer (see JournalFile): read through one, and leave the stream open for the run.
            var buffered = new BufferedStream(stream, 64 * 1024);
            foreach (var line in JournalLines.Read(buffered, location))
            {
                if (!replay.Add(line))
                {
                    break;
                }
            }

            if (replay.Runs.Count == 0 && !replay.TornTail && stream.CanSeek && stream.Length > 0)
            {
                throw JournalFormat.NotAJournal(location, "it holds no record");
            }

            foreach (var user in replay.Users)
            {
                user.Record.Attempts = Math.Max(user.Sendings, user.ResultAttempts);
            }

            return replay;
        }

        private bool Add(JournalLines.Line line)
        {
            _lineNumber++;
            if (!line.Complete)
            {
                // The process was killed (or the disk filled) while writing this line: it never counted as recorded.
                if (Runs.Count == 0 && !line.StartsLikeARunRecord)
                {
                    throw JournalFormat.NotAJournal(_location, "it has no complete line");
                }

                TornTail = true;
                Problems.Add(new JournalReadProblem(ErrorIds.JournalTruncated,
                    $"The journal '{_location}' is cut short: line {_lineNumber} was being written when the process stopped and is left out. " +
                    "Every complete record before it is reported. Running the same Start-E4Upgrade command again continues the run.", _lineNumber));
                return false;
            }

            var record = line.Record;
            if (Runs.Count == 0 && (record == null || !JournalFormat.IsFirstRecord(record)))
            {
                throw JournalFormat.NotAJournal(_location,
                    record == null ? "its first line is not a journal record"
                    : record.Type != JournalRecordTypes.Run ? $"its first record is '{record.Type}', not a run"
                    : "its first record lacks the journal's format marker");
            }

            if (record == null)
            {
                if (!_lenient)
                {
                    throw new E4UpgradeException(ErrorIds.JournalCorrupt, ErrorCategoryNames.InvalidData,
                        $"The journal '{_location}' has an unreadable line {_lineNumber} before its end; it was changed outside E4Upgrade. " +
                        "Move it aside to start a new journal (users already moved are then found as AlreadyMoved).");
                }

                Problems.Add(new JournalReadProblem(ErrorIds.JournalCorrupt,
                    $"The journal '{_location}' has an unreadable line {_lineNumber}; it was changed outside E4Upgrade. The records before and after it are reported.", _lineNumber));
                ValidLength = line.EndOffset;
                return true;
            }

            Apply(record);
            ValidLength = line.EndOffset;
            return true;
        }

        private void Apply(JournalRecord record)
        {
            LastRecordAt = record.At;
            // Undo records are the undo's own (Upgrade/Undo/UndoLedger); it also notes what each move gave, to reverse it.
            if (Undo.Apply(record))
            {
                return;
            }

            if (record.Type == JournalRecordTypes.Run)
            {
                Completed = false;
                Tenant ??= record.Tenant;
                Header ??= new JournalHeader
                {
                    TenantId = record.Tenant,
                    SourceSku = record.SourceSku ?? "",
                    SourceSkuId = record.SourceSkuId ?? Guid.Empty,
                    TargetSku = record.TargetSku ?? "",
                    TargetSkuId = record.TargetSkuId ?? Guid.Empty,
                    TargetAddOnSkuIds = record.TargetAddOnSkuIds ?? (IReadOnlyList<Guid>)Array.Empty<Guid>(),
                    OptionsHash = record.OptionsHash ?? "",
                    Started = record.Started ?? record.At,
                };
                Runs.Add(new JournalRun
                {
                    Number = Runs.Count + 1,
                    RunId = record.RunId,
                    Started = record.Started ?? record.At,
                    LastRecordAt = record.At,
                    From = Skus(record.SourceSku),
                    To = Skus(record.TargetSku),
                    AcceptedFindings = record.AcceptedFindings ?? Array.Empty<string>(),
                    RanBy = record.RanBy,
                });
                return;
            }

            var run = Runs[Runs.Count - 1];
            run.LastRecordAt = record.At;
            switch (record.Type)
            {
                case JournalRecordTypes.Sending when record.UserId != null:
                    var sending = User(record.UserId, null);
                    sending.Sendings++;
                    sending.Done = false;
                    Stamp(sending.Record, record, run);
                    sending.Record.Status = ReportStatuses.Unconfirmed;
                    sending.Record.Reason = null;
                    if (_details)
                    {
                        sending.Record.UserPrincipalName = record.UserPrincipalName ?? sending.Record.UserPrincipalName;
                        sending.Record.Message = "A write was sent and the run stopped before its answer was recorded. Run the same command again: the user is read before anything is sent.";
                    }

                    break;
                case JournalRecordTypes.Result when record.UserId != null:
                    ApplyResult(User(record.UserId, null), record, run);
                    break;
                case JournalRecordTypes.MemberResult when record.UserId != null:
                    ApplyResult(User(record.UserId, record.GroupId), record, run);
                    break;
                case JournalRecordTypes.GroupSending when record.GroupId != null:
                    var swap = Group(record);
                    swap.Record.Attempts++;
                    if (_details)
                    {
                        swap.Record.DisabledPlansBefore = record.DisabledPlansBefore ?? Array.Empty<string>();
                        swap.Record.DisabledPlansAfter = record.DisabledPlansAfter ?? Array.Empty<string>();
                    }

                    SetGroup(swap, record, run, GroupJournalStage.SwapSending, ReportStatuses.Unconfirmed,
                        "The swap was about to be sent when the run stopped; whether it landed is known once the group is read again. Run the same command again.");
                    break;
                case JournalRecordTypes.GroupSent when record.GroupId != null:
                    var failed = string.Equals(record.Status, GroupSentStatuses.Failed, StringComparison.OrdinalIgnoreCase);
                    Group(record).Record.SentAt = record.At;
                    SetGroup(Group(record), record, run, failed ? GroupJournalStage.SwapFailed : GroupJournalStage.SwapSent,
                        failed ? ReportStatuses.Failed : ReportStatuses.Sent,
                        failed ? record.Message : "The swap was sent; its members were not verified yet.");
                    break;
                case JournalRecordTypes.GroupVerified when record.GroupId != null:
                    var verified = Group(record);
                    verified.Record.Members = record.Members;
                    verified.Record.MembersFailed = record.Failed;
                    // Timed out: the members are verified again by the next run, as after a sent swap.
                    var timedOut = record.TimedOut == true;
                    SetGroup(verified, record, run, timedOut ? GroupJournalStage.SwapSent : GroupJournalStage.Verified,
                        timedOut ? ReportStatuses.TimedOut : (record.Failed ?? 0) > 0 ? ReportStatuses.SwappedWithErrors : ReportStatuses.Swapped,
                        timedOut ? "Members were still being processed when the run stopped waiting; run the same command again to verify them." : null);
                    break;
                case JournalRecordTypes.DependencyLearnt when record.Plan != null && record.Requires?.Length > 0:
                    LearntDependencies.Add(new LearntDependency(record.Plan.Value, record.Requires,
                        string.Equals(record.Kind, nameof(DependencyKind.AllOf), StringComparison.OrdinalIgnoreCase) ? DependencyKind.AllOf : DependencyKind.AnyOf));
                    break;
                case JournalRecordTypes.Completed:
                    run.Completed = true;
                    Completed = true;
                    break;
            }
        }

        private void ApplyResult(ReplayedUser user, JournalRecord record, JournalRun run)
        {
            user.ResultAttempts += record.Attempts ?? 0;
            user.Done = IsFinal(record.Status) || IsGone(record);
            var r = user.Record;
            Stamp(r, record, run);
            r.Status = Enum.TryParse<MoveStatus>(record.Status, true, out var status) ? status.ToString() : record.Status ?? "";
            r.Reason = record.Reason;
            if (!_details)
            {
                return;
            }

            r.UserPrincipalName = string.IsNullOrEmpty(record.UserPrincipalName) ? r.UserPrincipalName : record.UserPrincipalName;
            r.Message = record.Message;
            r.DisabledPlansBefore = record.DisabledPlansBefore ?? Array.Empty<string>();
            r.DisabledPlansAfter = record.DisabledPlansAfter ?? Array.Empty<string>();
            r.DroppedPlans = record.DroppedPlans ?? Array.Empty<string>();
            if (record.GroupId != null && _groups.TryGetValue(record.GroupId, out var group))
            {
                r.GroupName = group.Record.GroupName;
            }
        }

        private void SetGroup(ReplayedGroup group, JournalRecord record, JournalRun run, GroupJournalStage stage, string status, string? message)
        {
            group.Stage = stage;
            Stamp(group.Record, record, run);
            group.Record.Status = status;
            group.Record.Message = _details ? message : null;
        }

        private void Stamp(JournalReportRecord target, JournalRecord record, JournalRun run)
        {
            if (!_details)
            {
                return;
            }

            target.Time = record.At;
            target.From = run.From;
            target.To = run.To;
            target.Run = run.Number;
            target.RunId = run.RunId;
            target.RunStarted = run.Started;
        }

        /// <summary>A direct move is keyed by the user; a move with a group by user and group.</summary>
        private ReplayedUser User(string userId, string? groupId)
        {
            var key = groupId == null ? userId : userId + "\u001f" + groupId;
            if (!_users.TryGetValue(key, out var entry))
            {
                entry = new ReplayedUser(userId, groupId);
                _users[key] = entry;
                Users.Add(entry);
            }

            return entry;
        }

        private ReplayedGroup Group(JournalRecord record)
        {
            if (!_groups.TryGetValue(record.GroupId!, out var entry))
            {
                entry = new ReplayedGroup();
                entry.Record.GroupId = record.GroupId;
                _groups[record.GroupId!] = entry;
                Groups.Add(entry);
            }

            if (!string.IsNullOrEmpty(record.GroupName))
            {
                entry.Record.GroupName = record.GroupName;
            }

            return entry;
        }

        /// <summary>Not found when re-read by id: the user was deleted, nothing is left to move (reported once, then done).</summary>
        private static bool IsGone(JournalRecord record) =>
            string.Equals(record.Reason, ErrorIds.UserNotFound, StringComparison.Ordinal) || string.Equals(record.Reason, ErrorIds.UserDeleted, StringComparison.Ordinal);

        internal static bool IsFinal(string? status) =>
            string.Equals(status, nameof(MoveStatus.Moved), StringComparison.OrdinalIgnoreCase)
            || string.Equals(status, nameof(MoveStatus.AlreadyMoved), StringComparison.OrdinalIgnoreCase);

        /// <summary>A compound target is journaled as its part numbers joined with " + " (SPE_E5 + Microsoft_Teams_Enterprise_New).</summary>
        private static IReadOnlyList<string> Skus(string? skus) =>
            string.IsNullOrWhiteSpace(skus)
                ? Array.Empty<string>()
                : skus!.Split('+').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
    }
}
