using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>A user a run moved, with what it held before and what the run gave it, from the latest Moved result.</summary>
    internal sealed class MovedUser
    {
        public string UserId { get; set; } = "";
        public string? UserPrincipalName { get; set; }
        /// <summary>Null in journals written before undo: what the user held is not known.</summary>
        public IReadOnlyList<Guid>? SourceDisabledPlanIds { get; set; }
        /// <summary>The target's plans the run disabled (names, as journaled).</summary>
        public IReadOnlyList<string> TargetDisabledPlanNames { get; set; } = Array.Empty<string>();
        public IReadOnlyList<string> RemovedAddOns { get; set; } = Array.Empty<string>();
        /// <summary>Target SKUs the user held directly before the run, with their disabled plans then: kept, not removed, by undo.</summary>
        public IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> TargetsHeldBefore { get; set; } = new Dictionary<Guid, IReadOnlyList<Guid>>();
    }

    /// <summary>A group a run swapped (its swap was sent), with the source's disabled plans it had and the target's it got.</summary>
    internal sealed class MovedGroup
    {
        public string GroupId { get; set; } = "";
        public string? GroupName { get; set; }
        public IReadOnlyList<Guid>? SourceDisabledPlanIds { get; set; }
        public IReadOnlyList<string> TargetDisabledPlanNames { get; set; } = Array.Empty<string>();
        /// <summary>Target SKUs the group assigned before the run, with their disabled plans then: kept, not removed, by undo.</summary>
        public IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> TargetsHeldBefore { get; set; } = new Dictionary<Guid, IReadOnlyList<Guid>>();
    }

    /// <summary>One Undo-E4Upgrade that wrote to the journal.</summary>
    public sealed class UndoRun
    {
        public int Number { get; internal set; }
        public string? RunId { get; internal set; }
        public DateTimeOffset Started { get; internal set; }
        public DateTimeOffset LastRecordAt { get; internal set; }
        public string? RanBy { get; internal set; }
        /// <summary>It wrote its finish record (it was not stopped).</summary>
        public bool Finished { get; internal set; }
    }

    /// <summary>The latest undo record of one user or group.</summary>
    public sealed class UndoEntry
    {
        public UndoTargetKind Kind { get; internal set; }
        public string Id { get; internal set; } = "";
        public string? Name { get; internal set; }
        /// <summary>An <see cref="UndoStatus"/> name, or Unconfirmed (a write was sent, no answer recorded).</summary>
        public string Status { get; internal set; } = "";
        public string? Reason { get; internal set; }
        public string? Message { get; internal set; }
        public DateTimeOffset Time { get; internal set; }
        /// <summary>The undo run (1 for the first) that wrote it.</summary>
        public int Run { get; internal set; }
        /// <summary>Undo writes journaled as about to be sent, over every undo.</summary>
        public int Sendings { get; internal set; }
        public IReadOnlyList<string> DisabledPlans { get; internal set; } = Array.Empty<string>();
        internal bool Done => UndoStatuses.IsDone(Status);
    }

    /// <summary>
    /// The undo's reading of a journal, fed every record by <see cref="JournalReplay"/>: what each run moved (from its
    /// Moved results and sent group swaps) and what each undo did (its own records, which only this class reads). A
    /// move journaled after an undo of the same user or group starts it afresh: the next undo reverses that move.
    /// </summary>
    public sealed class UndoLedger
    {
        private static IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> Held(HeldTargetRecord[]? held) =>
            (held ?? Array.Empty<HeldTargetRecord>()).GroupBy(t => t.SkuId).ToDictionary(g => g.Key, g => (IReadOnlyList<Guid>)g.First().DisabledPlanIds);

        private readonly Dictionary<string, MovedUser> _users = new Dictionary<string, MovedUser>(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _userOrder = new List<string>();
        private readonly Dictionary<string, MovedGroup> _groups = new Dictionary<string, MovedGroup>(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _groupOrder = new List<string>();
        private readonly Dictionary<string, MovedGroup> _groupsSending = new Dictionary<string, MovedGroup>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, UndoEntry> _entries = new Dictionary<string, UndoEntry>(StringComparer.OrdinalIgnoreCase);
        private readonly List<UndoEntry> _entryOrder = new List<UndoEntry>();

        public List<UndoRun> Runs { get; } = new List<UndoRun>();

        /// <summary>The latest undo record of every user and group an undo touched, in the order first touched.</summary>
        public IReadOnlyList<UndoEntry> Entries => _entryOrder;

        internal IReadOnlyList<MovedUser> MovedUsers => _userOrder.Select(id => _users[id]).ToList();

        /// <summary>The add-ons (part numbers) runs removed from users they moved (-RemoveRedundantAddOns): what Stop-E4Subscription may call freed.</summary>
        public IReadOnlyCollection<string> RemovedAddOns =>
            _users.Values.SelectMany(u => u.RemovedAddOns).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        internal IReadOnlyList<MovedGroup> MovedGroups => _groupOrder.Select(id => _groups[id]).ToList();

        internal UndoEntry? EntryOf(UndoTargetKind kind, string id) => _entries.TryGetValue(Key(kind, id), out var entry) ? entry : null;

        /// <summary>Notes what a record means for an undo; true when it is an undo record (the rest of the replay ignores those).</summary>
        internal bool Apply(JournalRecord record)
        {
            switch (record.Type)
            {
                case JournalRecordTypes.Result when record.UserId != null && record.GroupId == null
                                                    && string.Equals(record.Status, nameof(MoveStatus.Moved), StringComparison.OrdinalIgnoreCase):
                    if (!_users.ContainsKey(record.UserId))
                    {
                        _userOrder.Add(record.UserId);
                    }

                    _users[record.UserId] = new MovedUser
                    {
                        UserId = record.UserId,
                        UserPrincipalName = record.UserPrincipalName,
                        SourceDisabledPlanIds = record.SourceDisabledPlanIds,
                        TargetDisabledPlanNames = record.DisabledPlansAfter ?? Array.Empty<string>(),
                        RemovedAddOns = record.RemovedAddOns ?? Array.Empty<string>(),
                        TargetsHeldBefore = Held(record.TargetsHeldBefore),
                    };
                    Restart(UndoTargetKind.User, record.UserId);
                    return false;
                case JournalRecordTypes.GroupSending when record.GroupId != null:
                    _groupsSending[record.GroupId] = new MovedGroup
                    {
                        GroupId = record.GroupId,
                        GroupName = record.GroupName,
                        SourceDisabledPlanIds = record.SourceDisabledPlanIds,
                        TargetDisabledPlanNames = record.DisabledPlansAfter ?? Array.Empty<string>(),
                        TargetsHeldBefore = Held(record.TargetsHeldBefore),
                    };
                    return false;
                case JournalRecordTypes.GroupSent when record.GroupId != null
                                                       && string.Equals(record.Status, GroupSentStatuses.Sent, StringComparison.OrdinalIgnoreCase)
                                                       && _groupsSending.TryGetValue(record.GroupId, out var sent):
                    if (!_groups.ContainsKey(record.GroupId))
                    {
                        _groupOrder.Add(record.GroupId);
                    }

                    _groups[record.GroupId] = sent;
                    Restart(UndoTargetKind.Group, record.GroupId);
                    return false;
                case JournalRecordTypes.UndoStarted:
                    Runs.Add(new UndoRun
                    {
                        Number = Runs.Count + 1,
                        RunId = record.RunId,
                        Started = record.Started ?? record.At,
                        LastRecordAt = record.At,
                        RanBy = record.RanBy,
                    });
                    return true;
                case JournalRecordTypes.UndoSending:
                    if (Stamp(record) is { } sending)
                    {
                        sending.Sendings++;
                        sending.Status = UndoStatuses.Unconfirmed;
                        sending.Reason = null;
                        sending.Message = "An undo write was sent and the undo stopped before its answer was recorded. Run the same Undo-E4Upgrade again: it reads the user or group before anything is sent.";
                    }

                    return true;
                case JournalRecordTypes.UndoResult:
                    if (Stamp(record) is { } result)
                    {
                        result.Status = record.Status ?? "";
                        result.Reason = record.Reason;
                        result.Message = record.Message;
                        result.DisabledPlans = record.DisabledPlansBefore ?? Array.Empty<string>();
                        result.Name = record.UserPrincipalName ?? record.GroupName ?? result.Name;
                    }

                    return true;
                case JournalRecordTypes.UndoFinished:
                    if (Runs.Count > 0)
                    {
                        Runs[Runs.Count - 1].Finished = true;
                        Runs[Runs.Count - 1].LastRecordAt = record.At;
                    }

                    return true;
                default:
                    return false;
            }
        }

        /// <summary>The entry an undo record is about, stamped with its time and undo run; null for a record outside an undo.</summary>
        private UndoEntry? Stamp(JournalRecord record)
        {
            if (Runs.Count == 0 || (record.UserId == null && record.GroupId == null))
            {
                return null;
            }

            var run = Runs[Runs.Count - 1];
            run.LastRecordAt = record.At;
            var kind = record.UserId != null ? UndoTargetKind.User : UndoTargetKind.Group;
            var id = record.UserId ?? record.GroupId!;
            if (!_entries.TryGetValue(Key(kind, id), out var entry))
            {
                entry = new UndoEntry
                {
                    Kind = kind,
                    Id = id,
                    Name = kind == UndoTargetKind.User
                        ? (_users.TryGetValue(id, out var user) ? user.UserPrincipalName : null)
                        : (_groups.TryGetValue(id, out var group) ? group.GroupName : null),
                };
                _entries[Key(kind, id)] = entry;
                _entryOrder.Add(entry);
            }

            entry.Time = record.At;
            entry.Run = run.Number;
            return entry;
        }

        /// <summary>A new move of a user or group an undo had reversed: its undo state no longer applies.</summary>
        private void Restart(UndoTargetKind kind, string id)
        {
            if (_entries.TryGetValue(Key(kind, id), out var entry) && entry.Done)
            {
                _entries.Remove(Key(kind, id));
                _entryOrder.Remove(entry);
            }
        }

        private static string Key(UndoTargetKind kind, string id) => (kind == UndoTargetKind.User ? "u:" : "g:") + id;
    }
}
