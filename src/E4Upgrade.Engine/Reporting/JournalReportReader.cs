using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Upgrade;

namespace E4Upgrade.Engine.Reporting
{
    /// <summary>
    /// Reads a journal back into one record per user and per group, offline. A path that is not there throws
    /// JournalNotFound; a file that does not start with a run record throws NotAJournal. A journal cut short (the
    /// process died while writing its last line) or with an unreadable line inside still yields every complete record,
    /// and says what it could not read in <see cref="JournalReport.Problems"/> (JournalTruncated, JournalCorrupt).
    /// A file this account may not read throws AccessDenied; any other read failure JournalUnreadable.
    /// </summary>
    public static class JournalReportReader
    {
        public static JournalReport Read(string path)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A journal path is required.", nameof(path));
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                throw new E4UpgradeException(ErrorIds.NotAJournal, ErrorCategoryNames.InvalidArgument,
                    $"'{full}' is a folder, not a journal. Name the .jsonl file Start-E4Upgrade wrote (its summary shows the JournalPath).");
            }

            if (!File.Exists(full))
            {
                throw new E4UpgradeException(ErrorIds.JournalNotFound, ErrorCategoryNames.ObjectNotFound,
                    $"The journal '{full}' does not exist. Start-E4Upgrade's summary shows the JournalPath of a run; by default journals are in {UpgradeJournal.DefaultDirectory()}.");
            }

            var builder = new Builder(full);
            try
            {
                foreach (var line in JournalLines.Read(full))
                {
                    builder.Add(line);
                }
            }
            catch (UnauthorizedAccessException ex)
            {
                // Journals are readable by their owner only: another account gets here.
                throw new E4UpgradeException(ErrorIds.AccessDenied, ErrorCategoryNames.PermissionDenied,
                    $"The journal '{full}' cannot be read by this account: {ex.Message} A journal is readable by the account that ran Start-E4Upgrade only.", ex);
            }
            catch (IOException ex)
            {
                throw new E4UpgradeException(ErrorIds.JournalUnreadable, ErrorCategoryNames.ReadError,
                    $"The journal '{full}' could not be read: {ex.Message}", ex);
            }

            return builder.Finish();
        }

        private sealed class UserEntry
        {
            public JournalReportRecord Record { get; } = new JournalReportRecord { Kind = ReportRecordKind.User };
            public int Sendings;
            public int ResultAttempts;
            /// <summary>A write was sent and no result has been recorded since.</summary>
            public bool AwaitingResult;
        }

        private sealed class GroupEntry
        {
            public JournalReportRecord Record { get; } = new JournalReportRecord { Kind = ReportRecordKind.Group };
        }

        private sealed class Builder
        {
            private readonly string _path;
            private readonly List<JournalRun> _runs = new List<JournalRun>();
            private readonly List<JournalReadProblem> _problems = new List<JournalReadProblem>();
            private readonly Dictionary<string, UserEntry> _users = new Dictionary<string, UserEntry>(StringComparer.OrdinalIgnoreCase);
            private readonly List<UserEntry> _userOrder = new List<UserEntry>();
            private readonly Dictionary<string, GroupEntry> _groups = new Dictionary<string, GroupEntry>(StringComparer.OrdinalIgnoreCase);
            private readonly List<GroupEntry> _groupOrder = new List<GroupEntry>();
            private string? _tenant;
            private long _lineNumber;
            private DateTimeOffset? _lastAt;

            public Builder(string path) => _path = path;

            private JournalRun? Current => _runs.Count > 0 ? _runs[_runs.Count - 1] : null;

            public void Add(JournalLines.Line line)
            {
                _lineNumber++;
                if (!line.Complete)
                {
                    if (_runs.Count == 0)
                    {
                        throw NotAJournal("it has no complete line");
                    }

                    _problems.Add(new JournalReadProblem(ErrorIds.JournalTruncated,
                        $"The journal '{_path}' is cut short: line {_lineNumber} was being written when the process stopped and is left out. " +
                        "Every complete record before it is reported. Running the same Start-E4Upgrade command again continues the run.", _lineNumber));
                    return;
                }

                var record = line.Record;
                if (_runs.Count == 0 && (record == null || record.Type != JournalRecordTypes.Run))
                {
                    throw NotAJournal(record == null ? "its first line is not a journal record" : $"its first record is '{record.Type}', not a run");
                }

                if (record == null)
                {
                    _problems.Add(new JournalReadProblem(ErrorIds.JournalCorrupt,
                        $"The journal '{_path}' has an unreadable line {_lineNumber}; it was changed outside E4Upgrade. The records before and after it are reported.", _lineNumber));
                    return;
                }

                Apply(record);
            }

            public JournalReport Finish()
            {
                if (_runs.Count == 0)
                {
                    throw NotAJournal("it is empty");
                }

                var records = _userOrder.Select(u => Finish(u)).Concat(_groupOrder.Select(g => g.Record)).ToList();
                return new JournalReport(_path, _tenant, _runs, records, _problems, _lastAt);
            }

            private static JournalReportRecord Finish(UserEntry user)
            {
                user.Record.Attempts = Math.Max(user.Sendings, user.ResultAttempts);
                return user.Record;
            }

            private E4UpgradeException NotAJournal(string why) =>
                new E4UpgradeException(ErrorIds.NotAJournal, ErrorCategoryNames.InvalidData,
                    $"'{_path}' is not an E4Upgrade journal: {why}. A journal is the JSON-lines file Start-E4Upgrade writes, starting with a run record.");

            private void Apply(JournalRecord record)
            {
                _lastAt = record.At;
                if (record.Type == JournalRecordTypes.Run)
                {
                    _tenant ??= record.Tenant;
                    _runs.Add(new JournalRun
                    {
                        Number = _runs.Count + 1,
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

                var run = Current!;
                run.LastRecordAt = record.At;
                switch (record.Type)
                {
                    case JournalRecordTypes.Sending when record.UserId != null:
                        var sending = User(record.UserId, null);
                        sending.Sendings++;
                        sending.AwaitingResult = true;
                        Stamp(sending.Record, record, run);
                        sending.Record.UserPrincipalName = record.UserPrincipalName ?? sending.Record.UserPrincipalName;
                        sending.Record.Status = ReportStatuses.Unconfirmed;
                        sending.Record.Reason = null;
                        sending.Record.Message = "A write was sent and the run stopped before its answer was recorded. Run the same command again: the user is read before anything is sent.";
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
                        swap.Record.DisabledPlansBefore = record.DisabledPlansBefore ?? Array.Empty<string>();
                        swap.Record.DisabledPlansAfter = record.DisabledPlansAfter ?? Array.Empty<string>();
                        SetGroupStatus(swap, record, run, ReportStatuses.Unconfirmed,
                            "The swap was about to be sent when the run stopped; whether it landed is known once the group is read again. Run the same command again.");
                        break;
                    case JournalRecordTypes.GroupSent when record.GroupId != null:
                        var failed = string.Equals(record.Status, "Failed", StringComparison.OrdinalIgnoreCase);
                        Group(record).Record.SentAt = record.At;
                        SetGroupStatus(Group(record), record, run, failed ? ReportStatuses.Failed : ReportStatuses.Sent,
                            failed ? record.Message : "The swap was sent; its members were not verified yet.");
                        break;
                    case JournalRecordTypes.GroupVerified when record.GroupId != null:
                        var verified = Group(record);
                        verified.Record.Members = record.Members;
                        verified.Record.MembersFailed = record.Failed;
                        var status = record.TimedOut == true ? ReportStatuses.TimedOut
                            : (record.Failed ?? 0) > 0 ? ReportStatuses.SwappedWithErrors : ReportStatuses.Swapped;
                        SetGroupStatus(verified, record, run, status,
                            record.TimedOut == true ? "Members were still being processed when the run stopped waiting; run the same command again to verify them." : null);
                        break;
                    case JournalRecordTypes.Completed:
                        run.Completed = true;
                        break;
                }
            }

            private void ApplyResult(UserEntry user, JournalRecord record, JournalRun run)
            {
                user.AwaitingResult = false;
                user.ResultAttempts += record.Attempts ?? 0;
                var r = user.Record;
                Stamp(r, record, run);
                r.UserPrincipalName = string.IsNullOrEmpty(record.UserPrincipalName) ? r.UserPrincipalName : record.UserPrincipalName;
                r.Status = Enum.TryParse<MoveStatus>(record.Status, true, out var status) ? status.ToString() : record.Status ?? "";
                r.Reason = record.Reason;
                r.Message = record.Message;
                r.DisabledPlansBefore = record.DisabledPlansBefore ?? Array.Empty<string>();
                r.DisabledPlansAfter = record.DisabledPlansAfter ?? Array.Empty<string>();
                r.DroppedPlans = record.DroppedPlans ?? Array.Empty<string>();
                if (record.GroupId != null && _groups.TryGetValue(record.GroupId, out var group))
                {
                    r.GroupName = group.Record.GroupName;
                }
            }

            private static void SetGroupStatus(GroupEntry group, JournalRecord record, JournalRun run, string status, string? message)
            {
                Stamp(group.Record, record, run);
                group.Record.Status = status;
                group.Record.Message = message;
            }

            private static void Stamp(JournalReportRecord target, JournalRecord record, JournalRun run)
            {
                target.Time = record.At;
                target.From = run.From;
                target.To = run.To;
                target.Run = run.Number;
                target.RunId = run.RunId;
                target.RunStarted = run.Started;
            }

            /// <summary>A direct move is keyed by the user; a move with a group by user and group.</summary>
            private UserEntry User(string userId, string? groupId)
            {
                var key = groupId == null ? userId : userId + "\u001f" + groupId;
                if (!_users.TryGetValue(key, out var entry))
                {
                    entry = new UserEntry();
                    entry.Record.UserId = userId;
                    entry.Record.GroupId = groupId;
                    _users[key] = entry;
                    _userOrder.Add(entry);
                }

                return entry;
            }

            private GroupEntry Group(JournalRecord record)
            {
                if (!_groups.TryGetValue(record.GroupId!, out var entry))
                {
                    entry = new GroupEntry();
                    entry.Record.GroupId = record.GroupId;
                    _groups[record.GroupId!] = entry;
                    _groupOrder.Add(entry);
                }

                if (!string.IsNullOrEmpty(record.GroupName))
                {
                    entry.Record.GroupName = record.GroupName;
                }

                return entry;
            }

            /// <summary>A compound target is journaled as its part numbers joined with " + " (SPE_E5 + Microsoft_Teams_Enterprise_New).</summary>
            private static IReadOnlyList<string> Skus(string? skus) =>
                string.IsNullOrWhiteSpace(skus)
                    ? Array.Empty<string>()
                    : skus!.Split('+').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
        }
    }

    /// <summary>The statuses a report record can carry beyond MoveStatus and GroupUpgradeStatus names.</summary>
    public static class ReportStatuses
    {
        public const string Unconfirmed = "Unconfirmed";
        public const string Sent = "Sent";
        public const string Swapped = "Swapped";
        public const string SwappedWithErrors = "SwappedWithErrors";
        public const string Failed = "Failed";
        public const string TimedOut = "TimedOut";
    }
}
