using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>The identity of a run; a journal is continued only by a run with the same tenant, source and target.</summary>
    public sealed class JournalHeader
    {
        public string? TenantId { get; set; }
        public string SourceSku { get; set; } = "";
        public Guid SourceSkuId { get; set; }
        public string TargetSku { get; set; } = "";
        /// <summary>The suite's skuId.</summary>
        public Guid TargetSkuId { get; set; }
        /// <summary>The add-ons of a compound target, added with the suite in each write.</summary>
        public IReadOnlyList<Guid> TargetAddOnSkuIds { get; set; } = Array.Empty<Guid>();
        /// <summary>A hash of the options that change what is written (disabled plans, usage location).</summary>
        public string OptionsHash { get; set; } = "";
        public DateTimeOffset Started { get; set; }
        /// <summary>Written to the run record for the report; not part of what makes two runs the same run.</summary>
        public IReadOnlyList<string> AcceptedFindings { get; set; } = Array.Empty<string>();
        public string? RanBy { get; set; }
    }

    public enum GroupJournalStage
    {
        None,
        /// <summary>The swap was about to be sent; whether it landed is unknown until the group is re-read.</summary>
        SwapSending,
        SwapSent,
        SwapFailed,
        Verified,
    }

    /// <summary>What a journal says was decided so far. Built by reading the file once; a torn last line is ignored.</summary>
    public sealed class JournalState
    {
        [Flags]
        private enum UserMark : byte
        {
            None = 0,
            /// <summary>A write was (about to be) sent for the user in some run.</summary>
            Intent = 1,
            /// <summary>The latest result is Moved or AlreadyMoved.</summary>
            Done = 2,
        }

        private readonly Dictionary<string, UserMark> _users = new Dictionary<string, UserMark>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, GroupJournalStage> _groups = new Dictionary<string, GroupJournalStage>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, string> _groupNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        private readonly List<LearntDependency> _learntDependencies = new List<LearntDependency>();

        public JournalHeader? Header { get; private set; }

        /// <summary>Plan dependencies earlier runs learnt from Graph's 400s, oldest first.</summary>
        public IReadOnlyList<LearntDependency> LearntDependencies => _learntDependencies;
        /// <summary>How many runs wrote to this journal.</summary>
        public int Runs { get; private set; }
        /// <summary>A run completed and no run started after it.</summary>
        public bool Completed { get; private set; }
        public bool TornTail { get; private set; }
        /// <summary>Bytes up to the end of the last complete line.</summary>
        public long ValidLength { get; private set; }
        public int DoneUsers => _users.Values.Count(v => (v & UserMark.Done) != 0);

        /// <summary>Users whose last result was Moved or AlreadyMoved, or who were found deleted: not rechecked.</summary>
        public bool IsDone(string userId) => _users.TryGetValue(userId, out var mark) && (mark & UserMark.Done) != 0;

        /// <summary>
        /// Users a write was sent for without a final (Moved/AlreadyMoved) result after it: the process died, or the
        /// run was cancelled or failed while the answer was unknown. The write may have landed, in which case the user
        /// no longer shows in the E4 listing, so the next run re-reads them by id (the move engine reports
        /// AlreadyMoved if it had landed, and moves them otherwise).
        /// </summary>
        public IReadOnlyList<string> UsersToRecheck => _users.Where(u => u.Value == UserMark.Intent).Select(u => u.Key).ToList();

        public GroupJournalStage GroupStage(string groupId) => _groups.TryGetValue(groupId, out var stage) ? stage : GroupJournalStage.None;

        /// <summary>Groups whose swap was sent (or may have been) but whose members were not verified yet.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> GroupsToVerify =>
            _groups.Where(g => g.Value == GroupJournalStage.SwapSending || g.Value == GroupJournalStage.SwapSent)
                .Select(g => new KeyValuePair<string, string>(g.Key, _groupNames.TryGetValue(g.Key, out var n) ? n : g.Key))
                .ToList();

        public static JournalState Read(string path)
        {
            if (!File.Exists(path))
            {
                return new JournalState();
            }

            using var stream = JournalFile.OpenForReading(path);
            return Read(stream, path);
        }

        /// <summary>Reads the journal from the start of a stream the caller holds (the run's own locked handle).</summary>
        internal static JournalState Read(Stream stream, string path)
        {
            var state = new JournalState();
            stream.Seek(0, SeekOrigin.Begin);
            var lineNumber = 0;
            foreach (var line in JournalLines.Read(stream))
            {
                lineNumber++;
                if (!line.Complete)
                {
                    // The process was killed while writing this line: it never counted as recorded.
                    state.TornTail = true;
                    break;
                }

                var record = line.Record;
                if (record == null)
                {
                    throw new E4UpgradeException(ErrorIds.JournalCorrupt, "InvalidData",
                        $"The journal '{path}' has an unreadable line {lineNumber} before its end; it was changed outside E4Upgrade. " +
                        "Move it aside to start a new journal (users already moved are then found as AlreadyMoved).");
                }

                state.Apply(record);
                state.ValidLength = line.EndOffset;
            }

            return state;
        }

        private void Apply(JournalRecord record)
        {
            switch (record.Type)
            {
                case JournalRecordTypes.Run:
                    Runs++;
                    Completed = false;
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
                    break;
                case JournalRecordTypes.Sending when record.UserId != null:
                    _users[record.UserId] = UserMark.Intent;
                    break;
                case JournalRecordTypes.Result when record.UserId != null:
                    _users.TryGetValue(record.UserId, out var mark);
                    _users[record.UserId] = IsFinal(record.Status) || IsGone(record) ? mark | UserMark.Done : mark & ~UserMark.Done;
                    break;
                case JournalRecordTypes.GroupSending when record.GroupId != null:
                    SetGroup(record, GroupJournalStage.SwapSending);
                    break;
                case JournalRecordTypes.GroupSent when record.GroupId != null:
                    SetGroup(record, string.Equals(record.Status, "Failed", StringComparison.OrdinalIgnoreCase) ? GroupJournalStage.SwapFailed : GroupJournalStage.SwapSent);
                    break;
                case JournalRecordTypes.GroupVerified when record.GroupId != null:
                    SetGroup(record, record.TimedOut == true ? GroupJournalStage.SwapSent : GroupJournalStage.Verified);
                    break;
                case JournalRecordTypes.Completed:
                    Completed = true;
                    break;
                case JournalRecordTypes.DependencyLearnt when record.Plan != null && record.Requires?.Length > 0:
                    _learntDependencies.Add(new LearntDependency(record.Plan.Value, record.Requires,
                        string.Equals(record.Kind, nameof(DependencyKind.AllOf), StringComparison.OrdinalIgnoreCase) ? DependencyKind.AllOf : DependencyKind.AnyOf));
                    break;
            }
        }

        private void SetGroup(JournalRecord record, GroupJournalStage stage)
        {
            _groups[record.GroupId!] = stage;
            if (!string.IsNullOrEmpty(record.GroupName))
            {
                _groupNames[record.GroupId!] = record.GroupName!;
            }
        }

        /// <summary>Not found when re-read by id: the user was deleted, nothing is left to move (reported once, then done).</summary>
        private static bool IsGone(JournalRecord record) =>
            string.Equals(record.Reason, ErrorIds.UserNotFound, StringComparison.Ordinal) || string.Equals(record.Reason, ErrorIds.UserDeleted, StringComparison.Ordinal);

        internal static bool IsFinal(string? status) =>
            string.Equals(status, nameof(MoveStatus.Moved), StringComparison.OrdinalIgnoreCase)
            || string.Equals(status, nameof(MoveStatus.AlreadyMoved), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Splits a journal into lines without holding the file in memory, and tells a torn last line apart.</summary>
    internal static class JournalLines
    {
        internal sealed class Line
        {
            public JournalRecord? Record { get; set; }
            public bool Complete { get; set; }
            public long EndOffset { get; set; }
        }

        public static IEnumerable<Line> Read(string path)
        {
            using var stream = JournalFile.OpenForReading(path);
            foreach (var line in Read(stream))
            {
                yield return line;
            }
        }

        /// <summary>Reads from the stream's current position; the stream stays open.</summary>
        public static IEnumerable<Line> Read(Stream stream)
        {
            var buffer = new MemoryStream();
            long offset = 0;
            int b;
            while ((b = stream.ReadByte()) >= 0)
            {
                offset++;
                if (b != '\n')
                {
                    buffer.WriteByte((byte)b);
                    continue;
                }

                var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
                buffer.SetLength(0);
                if (text.Trim().Length == 0)
                {
                    continue;
                }

                yield return new Line { Record = Parse(text), Complete = true, EndOffset = offset };
            }

            if (buffer.Length > 0)
            {
                yield return new Line { Complete = false, EndOffset = offset };
            }
        }

        private static JournalRecord? Parse(string text)
        {
            try
            {
                var record = JsonSerializer.Deserialize<JournalRecord>(text, JournalJson.Options);
                return record == null || string.IsNullOrEmpty(record.Type) ? null : record;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
