using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Upgrade
{
    internal static class JournalJson
    {
        public static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = false,
        };
    }

    /// <summary>
    /// The run's write-ahead journal: a JSON-lines file, one record per decision, each flushed to the disk
    /// (FileStream.Flush(true)) before the call returns, so a killed process loses nothing it recorded. Holds user
    /// ids, UPNs, SKU and plan names, and results; never a token or secret. Created readable by its owner only.
    /// Locked all the same: the move engine calls it from its one loop, the group phase from the runner's flow, and
    /// those may sit on different threads.
    /// </summary>
    public sealed class UpgradeJournal : IDisposable
    {
        public const int FormatVersion = 1;

        private readonly object _gate = new object();
        private readonly Stream _stream;
        private readonly IDisposable? _lease;
        private bool _disposed;
        private long _goodLength;
        private string? _writeFailure;

        private UpgradeJournal(string path, Stream stream, JournalState prior, IDisposable? lease = null)
        {
            Path = path;
            _stream = stream;
            _lease = lease;
            Prior = prior;
        }

        public string Path { get; }

        /// <summary>Names this run in the journal's run record, so a report can say which run did what.</summary>
        public string RunId { get; } = Guid.NewGuid().ToString("N");

        /// <summary>What the journal held when this run opened it (empty for a new journal).</summary>
        public JournalState Prior { get; }

        public bool Resumed => Prior.Runs > 0;

        /// <summary>True when the prior runs used other options (disabled plans, usage location): the caller should warn.</summary>
        public bool OptionsChanged { get; private set; }

        /// <summary>%LOCALAPPDATA%/E4Upgrade/journals (~/.local/share/E4Upgrade/journals on Linux).</summary>
        public static string DefaultDirectory() =>
            System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "E4Upgrade", "journals");

        /// <summary>&lt;data folder&gt;/E4Upgrade/journals/&lt;tenant&gt;-&lt;source&gt;-&lt;target&gt;.jsonl</summary>
        public static string DefaultPath(string? tenant, string sourceSku, string targetSku) =>
            System.IO.Path.Combine(DefaultDirectory(), SafeName(string.IsNullOrWhiteSpace(tenant) ? "tenant" : tenant!) + "-" + SafeName(sourceSku) + "-" + SafeName(targetSku) + ".jsonl");

        /// <summary>A stable hash of the options that change what a run writes.</summary>
        public static string HashOptions(params string?[] parts)
        {
            using var sha = SHA256.Create();
            var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(string.Join("\u001f", parts.Select(p => p ?? ""))));
            return string.Concat(bytes.Take(8).Select(b => b.ToString("x2")));
        }

        /// <summary>
        /// Opens the journal for this run: a new file, or an existing journal of the same tenant, source and target,
        /// which is then continued (a torn last line is cut off first). A file that is not a journal (NotAJournal), the
        /// journal of another run (JournalMismatch, CompoundTargetChanged, JournalOtherTenant) or of no tenant id
        /// (JournalWithoutTenantId), or one with an unreadable line (JournalCorrupt) is refused before anything in it changes.
        /// </summary>
        public static UpgradeJournal Open(string path, JournalHeader header) => Open(new FileJournalStore(path), header);

        internal static UpgradeJournal Open(IJournalStore store, JournalHeader header)
        {
            if (store == null) throw new ArgumentNullException(nameof(store));
            if (header == null) throw new ArgumentNullException(nameof(header));
            var location = store.Location;
            JournalHeader.RequireTenantId(header.TenantId, location);

            // Locked before it is read: a second run fails here, before it reads or changes anything.
            var lease = store.OpenForRun();
            try
            {
                var stream = lease.Stream;
                var prior = JournalState.Read(stream, location);
                if (prior.Header != null)
                {
                    header.EnsureContinues(prior.Header, location);
                }

                // Only now is the file known to be a journal of this run: it may be narrowed and cut.
                lease.Adopt();
                if (prior.TornTail || stream.Length > prior.ValidLength)
                {
                    stream.SetLength(prior.ValidLength);
                }

                stream.Seek(0, SeekOrigin.End);
                var journal = new UpgradeJournal(location, stream, prior, lease)
                {
                    OptionsChanged = prior.Header != null && !string.Equals(prior.Header.OptionsHash, header.OptionsHash, StringComparison.Ordinal),
                };
                journal._goodLength = stream.Length;
                journal.Append(new JournalRecord
                {
                    Type = JournalRecordTypes.Run,
                    Format = JournalFormat.Marker,
                    Version = FormatVersion,
                    RunId = journal.RunId,
                    Tenant = header.TenantId,
                    SourceSku = header.SourceSku,
                    SourceSkuId = header.SourceSkuId,
                    TargetSku = header.TargetSku,
                    TargetSkuId = header.TargetSkuId,
                    TargetAddOnSkuIds = header.TargetAddOnSkuIds.Count > 0 ? header.TargetAddOnSkuIds.ToArray() : null,
                    OptionsHash = header.OptionsHash,
                    Started = header.Started,
                    AcceptedFindings = header.AcceptedFindings.Count > 0 ? header.AcceptedFindings.ToArray() : null,
                    RanBy = header.RanBy,
                });
                return journal;
            }
            catch
            {
                lease.Dispose();
                throw;
            }
        }

        /// <summary>For tests: a journal over a given stream (one that can fail like a full disk).</summary>
        internal static UpgradeJournal OpenOn(Stream stream, string path)
        {
            var journal = new UpgradeJournal(path, stream, new JournalState());
            journal._goodLength = stream.Length;
            return journal;
        }

        /// <summary>Intent: recorded before the user's write is sent.</summary>
        public void WriteSending(string userId, string? userPrincipalName) =>
            Append(new JournalRecord { Type = JournalRecordTypes.Sending, UserId = userId, UserPrincipalName = userPrincipalName });

        /// <param name="sourceDisabledPlanIds">For a Moved result: the source's disabled plans the user held before, by id (what Undo-E4Upgrade gives back).</param>
        public void WriteResult(MoveResult result, IReadOnlyList<Guid>? sourceDisabledPlanIds = null)
        {
            var record = FromResult(JournalRecordTypes.Result, result);
            record.SourceDisabledPlanIds = sourceDisabledPlanIds?.ToArray();
            if (sourceDisabledPlanIds != null)
            {
                record.TargetsHeldBefore = HeldTargets(result.TargetsHeldBefore);
            }

            Append(record);
        }

        private static HeldTargetRecord[] HeldTargets(IReadOnlyDictionary<Guid, IReadOnlyList<Guid>>? held) =>
            (held ?? new Dictionary<Guid, IReadOnlyList<Guid>>())
                .Select(t => new HeldTargetRecord { SkuId = t.Key, DisabledPlanIds = t.Value.Distinct().ToArray() })
                .ToArray();

        /// <param name="sourceDisabledPlanIds">The group's disabled plans of the source, by id (what Undo-E4Upgrade gives back).</param>
        public void WriteGroupSwapSending(string groupId, string groupName, IReadOnlyList<string>? disabledPlansBefore = null, IReadOnlyList<string>? disabledPlansAfter = null,
            IReadOnlyList<Guid>? sourceDisabledPlanIds = null, IReadOnlyDictionary<Guid, IReadOnlyList<Guid>>? targetsHeldBefore = null) =>
            Append(new JournalRecord
            {
                Type = JournalRecordTypes.GroupSending,
                TargetsHeldBefore = sourceDisabledPlanIds == null ? null : HeldTargets(targetsHeldBefore),
                GroupId = groupId,
                GroupName = groupName,
                DisabledPlansBefore = disabledPlansBefore?.Count > 0 ? disabledPlansBefore : null,
                DisabledPlansAfter = disabledPlansAfter?.Count > 0 ? disabledPlansAfter : null,
                SourceDisabledPlanIds = sourceDisabledPlanIds?.ToArray(),
            });

        public void WriteGroupSwapSent(string groupId, string groupName, bool succeeded, string? message) =>
            Append(new JournalRecord
            {
                Type = JournalRecordTypes.GroupSent,
                GroupId = groupId,
                GroupName = groupName,
                Status = succeeded ? GroupSentStatuses.Sent : GroupSentStatuses.Failed,
                Message = message,
            });

        public void WriteMemberResult(MoveResult result) => Append(FromResult(JournalRecordTypes.MemberResult, result));

        public void WriteGroupVerified(string groupId, string groupName, int members, int failed, bool timedOut) =>
            Append(new JournalRecord
            {
                Type = JournalRecordTypes.GroupVerified,
                GroupId = groupId,
                GroupName = groupName,
                Members = members,
                Failed = failed,
                TimedOut = timedOut,
            });

        public void WriteDependencyLearnt(LearntDependency rule) =>
            Append(new JournalRecord
            {
                Type = JournalRecordTypes.DependencyLearnt,
                Plan = rule.Plan,
                Requires = rule.Requires.ToArray(),
                Kind = rule.Kind.ToString(),
            });

        public void WriteCompleted(UpgradeSummary summary) =>
            Append(new JournalRecord
            {
                Type = JournalRecordTypes.Completed,
                Moved = summary.Moved,
                AlreadyMoved = summary.AlreadyMoved,
                Skipped = summary.Skipped,
                Failed = (int)Math.Min(int.MaxValue, summary.Failed),
                Seconds = summary.Duration.TotalSeconds,
            });

        /// <summary>
        /// Opens a journal for Undo-E4Upgrade: locked like a run (JournalInUse), read under the lock with every detail
        /// undo needs, bound to its tenant (JournalOtherTenant, JournalWithoutTenantId). Nothing is appended here: the
        /// undo writes its start record only once its checks passed. A journal that is not there is JournalNotFound.
        /// </summary>
        internal static UpgradeJournal OpenForUndo(IJournalStore store, string? tenantId, out JournalReplay replay)
        {
            if (store == null) throw new ArgumentNullException(nameof(store));
            var location = store.Location;
            JournalHeader.RequireTenantId(tenantId, location);
            if (!store.Exists())
            {
                throw UndoJournalBinding.NotFound(location);
            }

            var lease = store.OpenForRun();
            try
            {
                var stream = lease.Stream;
                stream.Seek(0, SeekOrigin.Begin);
                replay = JournalReplay.Read(stream, location, lenient: false, details: false);
                UndoJournalBinding.Check(replay.Header, tenantId, location);
                lease.Adopt();
                if (replay.TornTail || stream.Length > replay.ValidLength)
                {
                    stream.SetLength(replay.ValidLength);
                }

                stream.Seek(0, SeekOrigin.End);
                var journal = new UpgradeJournal(location, stream, new JournalState(), lease);
                journal._goodLength = stream.Length;
                return journal;
            }
            catch
            {
                lease.Dispose();
                throw;
            }
        }

        public void WriteUndoStarted(string? ranBy) =>
            Append(new JournalRecord { Type = JournalRecordTypes.UndoStarted, RunId = RunId, Started = DateTimeOffset.UtcNow, RanBy = ranBy });

        /// <summary>Intent: recorded before an undo write of this user (or, with <paramref name="isGroup"/>, group) is sent.</summary>
        public void WriteUndoSending(string id, bool isGroup) =>
            Append(isGroup
                ? new JournalRecord { Type = JournalRecordTypes.UndoSending, GroupId = id }
                : new JournalRecord { Type = JournalRecordTypes.UndoSending, UserId = id });

        public void WriteUndoResult(UndoResult result) =>
            Append(new JournalRecord
            {
                Type = JournalRecordTypes.UndoResult,
                UserId = result.Kind == UndoTargetKind.User ? result.Id : null,
                UserPrincipalName = result.Kind == UndoTargetKind.User ? result.Name : null,
                GroupId = result.Kind == UndoTargetKind.Group ? result.Id : null,
                GroupName = result.Kind == UndoTargetKind.Group ? result.Name : null,
                Status = result.Status.ToString(),
                Reason = result.Reason,
                Message = result.Message,
                DisabledPlansBefore = result.DisabledPlans.Count > 0 ? result.DisabledPlans : null,
                Attempts = result.Attempts > 0 ? result.Attempts : (int?)null,
            });

        public void WriteUndoFinished(UndoSummary summary) =>
            Append(new JournalRecord
            {
                Type = JournalRecordTypes.UndoFinished,
                Moved = summary.Undone,
                AlreadyMoved = summary.AlreadyUndone,
                Skipped = summary.Skipped,
                Failed = (int)Math.Min(int.MaxValue, summary.Failed),
                Seconds = summary.Duration.TotalSeconds,
            });

        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                try
                {
                    _stream.Dispose();
                    _lease?.Dispose();
                }
                catch (IOException)
                {
                    // Nothing is buffered (every record was flushed or cut back when it was written): a failure to
                    // close loses nothing, and Dispose must not hide the error that ended the run.
                }
            }
        }

        private void Append(JournalRecord record)
        {
            record.At = DateTimeOffset.UtcNow;
            var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, JournalJson.Options) + "\n");
            lock (_gate)
            {
                if (_disposed)
                {
                    throw new ObjectDisposedException(nameof(UpgradeJournal));
                }

                if (_writeFailure != null)
                {
                    // A record after a failed one would leave a gap (or a torn line) in the middle of the journal.
                    throw JournalFile.WriteFailed(Path, _writeFailure);
                }

                try
                {
                    _stream.Write(bytes, 0, bytes.Length);
                    FlushToDisk();
                    _goodLength += bytes.Length;
                }
                catch (IOException ex)
                {
                    _writeFailure = ex.Message;
                    throw JournalFile.WriteFailed(Path, ex.Message, CutBackToLastRecord());
                }
            }
        }

        private void FlushToDisk()
        {
            if (_stream is FileStream file)
            {
                file.Flush(true);
            }
            else
            {
                _stream.Flush();
            }
        }

        /// <summary>Removes a partly written record, so the next run continues from the last complete one; false when it could not.</summary>
        private bool CutBackToLastRecord()
        {
            try
            {
                _stream.SetLength(_goodLength);
                FlushToDisk();
                return _stream.Length == _goodLength;
            }
            catch (IOException)
            {
                // Could not cut it back: the next run treats the partial last line as torn and cuts it then.
                return false;
            }
        }

        private static JournalRecord FromResult(string type, MoveResult result) => new JournalRecord
        {
            Type = type,
            UserId = result.UserId,
            UserPrincipalName = result.UserPrincipalName,
            Status = result.Status.ToString(),
            Reason = result.Reason,
            Message = result.Message,
            DisabledPlansBefore = result.DisabledPlansBefore.Count > 0 ? result.DisabledPlansBefore : null,
            DisabledPlansAfter = result.DisabledPlansAfter.Count > 0 ? result.DisabledPlansAfter : null,
            DroppedPlans = result.DroppedPlans.Count > 0 ? result.DroppedPlans : null,
            RemovedAddOns = result.RemovedAddOns.Count > 0 ? result.RemovedAddOns : null,
            GroupId = result.GroupId,
            Attempts = result.Attempts,
        };

        internal static string SafeName(string text)
        {
            var invalid = System.IO.Path.GetInvalidFileNameChars();
            var chars = text.Trim().Select(c => invalid.Contains(c) || c == ' ' ? '_' : c).ToArray();
            return new string(chars);
        }
    }
}
