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

        /// <summary>True when a journal started with <paramref name="existing"/> may be continued by this run.</summary>
        public bool Matches(JournalHeader existing, string location = "") => Mismatch(existing, location) == null;

        /// <summary>Throws the reason a journal started with <paramref name="existing"/> may not be continued by this run.</summary>
        internal void EnsureContinues(JournalHeader existing, string location)
        {
            var mismatch = Mismatch(existing, location);
            if (mismatch != null)
            {
                throw mismatch;
            }
        }

        /// <summary>
        /// The one rule for continuing a journal: both name the same tenant by its id (a name, or none, binds the
        /// journal to no tenant, so it is refused), then the same source, suite and add-ons.
        /// </summary>
        private E4UpgradeException? Mismatch(JournalHeader existing, string location)
        {
            var problem = JournalTenantProblem(existing.TenantId, location) ?? SessionTenantProblem(TenantId, location);
            if (problem != null)
            {
                return problem;
            }

            if (Guid.Parse(existing.TenantId!) != Guid.Parse(TenantId!))
            {
                return new E4UpgradeException(ErrorIds.JournalOtherTenant, ErrorCategoryNames.InvalidArgument,
                    $"The journal '{location}' was written for tenant {existing.TenantId}, but this session is signed in to tenant {TenantId}. " +
                    "A journal is continued only in its own tenant: pass another -JournalPath, or connect to the journal's tenant.");
            }

            if (existing.SourceSkuId == SourceSkuId && existing.TargetSkuId == TargetSkuId)
            {
                if (new HashSet<Guid>(existing.TargetAddOnSkuIds).SetEquals(TargetAddOnSkuIds))
                {
                    return null;
                }

                return new E4UpgradeException(ErrorIds.CompoundTargetChanged, ErrorCategoryNames.InvalidArgument,
                    $"The journal '{location}' was started for {existing.SourceSku} -> {existing.TargetSku}, not {SourceSku} -> {TargetSku}: " +
                    "users it moved hold the first target's add-ons. Run again with the same -TargetSku to finish that upgrade, " +
                    "or pass another -JournalPath to start a separate one.");
            }

            return new E4UpgradeException(ErrorIds.JournalMismatch, ErrorCategoryNames.InvalidArgument,
                $"The journal '{location}' belongs to another run ({existing.SourceSku} -> {existing.TargetSku} in tenant {existing.TenantId}), " +
                $"not {SourceSku} -> {TargetSku} in tenant {TenantId}. Pass another -JournalPath, or the same source and target.");
        }

        /// <summary>Throws JournalWithoutTenantId unless the session's <paramref name="tenantId"/> is a tenant id (a GUID).</summary>
        internal static void RequireTenantId(string? tenantId, string location)
        {
            var problem = SessionTenantProblem(tenantId, location);
            if (problem != null)
            {
                throw problem;
            }
        }

        private static bool IsTenantId(string? tenantId) => Guid.TryParse(tenantId, out var id) && id != Guid.Empty;

        private static E4UpgradeException? JournalTenantProblem(string? tenantId, string location) =>
            IsTenantId(tenantId)
                ? null
                : new E4UpgradeException(ErrorIds.JournalWithoutTenantId, ErrorCategoryNames.InvalidData,
                    $"The journal '{location}' names {(string.IsNullOrWhiteSpace(tenantId) ? "no tenant" : $"the tenant '{tenantId}', a name rather than a tenant id")}: " +
                    "a journal is bound to one tenant by its id (a GUID), so it is not continued in any tenant. Nothing was changed. A journal written by an " +
                    "older version, or by hand, is not trusted: move it aside to start a new one (users it finished are then found as AlreadyMoved).");

        private static E4UpgradeException? SessionTenantProblem(string? tenantId, string location) =>
            IsTenantId(tenantId)
                ? null
                : new E4UpgradeException(ErrorIds.JournalWithoutTenantId, ErrorCategoryNames.InvalidArgument,
                    $"The run knows {(string.IsNullOrWhiteSpace(tenantId) ? "no tenant id" : $"its tenant only as '{tenantId}', not by its id")}, so it cannot bind the journal " +
                    $"'{location}' to its tenant; nothing was changed. Connect so that the session knows the tenant id (Connect-E4Upgrade shows it: from the " +
                    "token's tid claim, or GET /organization).");

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

    /// <summary>
    /// What a journal says was decided so far, for a run that continues it: read once through <see cref="JournalReplay"/>
    /// (the same reading a report makes); a torn last line is ignored.
    /// </summary>
    public sealed class JournalState
    {
        private readonly Dictionary<string, ReplayedUser> _direct = new Dictionary<string, ReplayedUser>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, ReplayedGroup> _groups = new Dictionary<string, ReplayedGroup>(StringComparer.OrdinalIgnoreCase);
        private readonly List<ReplayedUser> _directInOrder = new List<ReplayedUser>();
        private readonly List<ReplayedGroup> _groupsInOrder = new List<ReplayedGroup>();
        private readonly IReadOnlyList<LearntDependency> _learntDependencies = Array.Empty<LearntDependency>();

        public JournalState()
        {
        }

        private JournalState(JournalReplay replay)
        {
            Header = replay.Header;
            Runs = replay.Runs.Count;
            Completed = replay.Completed;
            TornTail = replay.TornTail;
            ValidLength = replay.ValidLength;
            _learntDependencies = replay.LearntDependencies;
            foreach (var user in replay.Users.Where(u => u.Direct))
            {
                _direct[user.Record.UserId!] = user;
                _directInOrder.Add(user);
            }

            foreach (var group in replay.Groups)
            {
                _groups[group.Record.GroupId!] = group;
                _groupsInOrder.Add(group);
            }
        }

        public JournalHeader? Header { get; }

        /// <summary>Plan dependencies earlier runs learnt from Graph's 400s, oldest first, as written (see LearntRuleReview before using one).</summary>
        public IReadOnlyList<LearntDependency> LearntDependencies => _learntDependencies;
        /// <summary>How many runs wrote to this journal.</summary>
        public int Runs { get; }
        /// <summary>A run completed and no run started after it.</summary>
        public bool Completed { get; }
        public bool TornTail { get; }
        /// <summary>Bytes up to the end of the last complete line.</summary>
        public long ValidLength { get; }
        public int DoneUsers => _directInOrder.Count(u => u.Done);

        /// <summary>Users whose last result was Moved or AlreadyMoved, or who were found deleted: not rechecked.</summary>
        public bool IsDone(string userId) => _direct.TryGetValue(userId, out var user) && user.Done;

        /// <summary>
        /// Users a write was sent for without a final (Moved/AlreadyMoved) result after it: the process died, or the
        /// run was cancelled or failed while the answer was unknown. The write may have landed, in which case the user
        /// no longer shows in the E4 listing, so the next run re-reads them by id (the move engine reports
        /// AlreadyMoved if it had landed, and moves them otherwise).
        /// </summary>
        public IReadOnlyList<string> UsersToRecheck => _directInOrder.Where(u => u.Sendings > 0 && !u.Done).Select(u => u.Record.UserId!).ToList();

        public GroupJournalStage GroupStage(string groupId) => _groups.TryGetValue(groupId, out var group) ? group.Stage : GroupJournalStage.None;

        /// <summary>Groups whose swap was sent (or may have been) but whose members were not verified yet.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> GroupsToVerify =>
            _groupsInOrder.Where(g => g.Stage == GroupJournalStage.SwapSending || g.Stage == GroupJournalStage.SwapSent)
                .Select(g => new KeyValuePair<string, string>(g.Record.GroupId!, g.Record.GroupName ?? g.Record.GroupId!))
                .ToList();

        /// <summary>The journal at a path, read without a lock; empty when there is none. Throws NotAJournal, JournalCorrupt.</summary>
        public static JournalState Read(string path) => Read(new FileJournalStore(path));

        internal static JournalState Read(IJournalStore store)
        {
            if (!store.Exists())
            {
                return new JournalState();
            }

            using var stream = store.OpenForReading();
            return Read(stream, store.Location);
        }

        /// <summary>Reads the journal from the start of a stream the caller holds (the run's own locked handle).</summary>
        internal static JournalState Read(Stream stream, string path)
        {
            stream.Seek(0, SeekOrigin.Begin);
            return new JournalState(JournalReplay.Read(stream, path, lenient: false, details: false));
        }

        internal static bool IsFinal(string? status) => JournalReplay.IsFinal(status);
    }

    /// <summary>
    /// Splits a journal into lines without holding the file in memory, tells a torn last line apart, and refuses a
    /// line longer than <see cref="JournalFormat.MaxRecordBytes"/> (JournalCorrupt) rather than reading on.
    /// </summary>
    internal static class JournalLines
    {
        internal sealed class Line
        {
            public JournalRecord? Record { get; set; }
            public bool Complete { get; set; }
            public long EndOffset { get; set; }
            /// <summary>An incomplete line that begins as a run record does (a journal whose first write was torn).</summary>
            public bool StartsLikeARunRecord { get; set; }
        }

        /// <summary>Reads from the stream's current position; the stream stays open.</summary>
        public static IEnumerable<Line> Read(Stream stream, string location)
        {
            var buffer = new MemoryStream();
            long offset = 0;
            long lineNumber = 1;
            int b;
            while ((b = stream.ReadByte()) >= 0)
            {
                offset++;
                if (b != '\n')
                {
                    if (buffer.Length >= JournalFormat.MaxRecordBytes)
                    {
                        throw JournalFormat.RecordTooLong(location, lineNumber);
                    }

                    buffer.WriteByte((byte)b);
                    continue;
                }

                lineNumber++;
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
                var prefix = JournalFormat.RunRecordPrefix;
                var startsLikeRun = buffer.Length >= prefix.Length && buffer.GetBuffer().Take(prefix.Length).SequenceEqual(prefix);
                yield return new Line { Complete = false, EndOffset = offset, StartsLikeARunRecord = startsLikeRun };
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
