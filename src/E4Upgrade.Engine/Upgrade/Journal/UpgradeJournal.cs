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
        private bool _disposed;
        private long _goodLength;
        private string? _writeFailure;

        private UpgradeJournal(string path, Stream stream, JournalState prior)
        {
            Path = path;
            _stream = stream;
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
        /// Opens the journal for this run: a new file, or an existing one of the same tenant, source and target, which
        /// is then continued (a torn last line is cut off first). Throws E4UpgradeException JournalMismatch when the
        /// file belongs to another run, JournalCorrupt when a line before the end is unreadable.
        /// </summary>
        public static UpgradeJournal Open(string path, JournalHeader header)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A journal path is required.", nameof(path));
            if (header == null) throw new ArgumentNullException(nameof(header));

            var full = System.IO.Path.GetFullPath(path);
            var directory = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory))
            {
                try
                {
                    OwnerOnlyFile.EnsureDirectory(directory!);
                }
                catch (Exception ex) when (ex is UnauthorizedAccessException || ex is IOException)
                {
                    throw JournalFile.NotWritable(full, ex.Message);
                }
            }

            // Locked before it is read: a second run fails here, before it reads or changes anything.
            var stream = JournalFile.OpenForRun(full);
            try
            {
                var prior = JournalState.Read(stream, full);
                if (prior.Header != null)
                {
                    EnsureSameRun(full, prior.Header, header);
                }

                if (prior.TornTail || stream.Length > prior.ValidLength)
                {
                    stream.SetLength(prior.ValidLength);
                }

                stream.Seek(0, SeekOrigin.End);
                var journal = new UpgradeJournal(full, stream, prior)
                {
                    OptionsChanged = prior.Header != null && !string.Equals(prior.Header.OptionsHash, header.OptionsHash, StringComparison.Ordinal),
                };
                journal._goodLength = stream.Length;
                journal.Append(new JournalRecord
                {
                    Type = JournalRecordTypes.Run,
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
                stream.Dispose();
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

        public void WriteResult(MoveResult result) => Append(FromResult(JournalRecordTypes.Result, result));

        public void WriteGroupSwapSending(string groupId, string groupName, IReadOnlyList<string>? disabledPlansBefore = null, IReadOnlyList<string>? disabledPlansAfter = null) =>
            Append(new JournalRecord
            {
                Type = JournalRecordTypes.GroupSending,
                GroupId = groupId,
                GroupName = groupName,
                DisabledPlansBefore = disabledPlansBefore?.Count > 0 ? disabledPlansBefore : null,
                DisabledPlansAfter = disabledPlansAfter?.Count > 0 ? disabledPlansAfter : null,
            });

        public void WriteGroupSwapSent(string groupId, string groupName, bool succeeded, string? message) =>
            Append(new JournalRecord
            {
                Type = JournalRecordTypes.GroupSent,
                GroupId = groupId,
                GroupName = groupName,
                Status = succeeded ? "Sent" : "Failed",
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
        /// Streams the per-user results recorded in a journal (direct results and group member results), in the order
        /// they were written; a user tried in several runs appears once per run. For -PassThru after the fact.
        /// </summary>
        public static IEnumerable<MoveResult> ReadResults(string path)
        {
            foreach (var line in JournalLines.Read(path))
            {
                var r = line.Record;
                if (!line.Complete || r == null || (r.Type != JournalRecordTypes.Result && r.Type != JournalRecordTypes.MemberResult))
                {
                    continue;
                }

                yield return new MoveResult
                {
                    UserId = r.UserId ?? "",
                    UserPrincipalName = r.UserPrincipalName ?? "",
                    Status = Enum.TryParse<MoveStatus>(r.Status, true, out var status) ? status : MoveStatus.Failed,
                    Reason = r.Reason,
                    Message = r.Message,
                    DisabledPlansBefore = r.DisabledPlansBefore ?? Array.Empty<string>(),
                    DisabledPlansAfter = r.DisabledPlansAfter ?? Array.Empty<string>(),
                    DroppedPlans = r.DroppedPlans ?? Array.Empty<string>(),
                    GroupId = r.GroupId,
                    Attempts = r.Attempts ?? 0,
                };
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                _stream.Dispose();
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
                    CutBackToLastRecord();
                    throw JournalFile.WriteFailed(Path, ex.Message);
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

        /// <summary>Removes a partly written record, so the next run continues from the last complete one.</summary>
        private void CutBackToLastRecord()
        {
            try
            {
                _stream.SetLength(_goodLength);
                FlushToDisk();
            }
            catch (IOException)
            {
                // Could not cut it back: the next run treats the partial last line as torn and cuts it then.
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
            GroupId = result.GroupId,
            Attempts = result.Attempts,
        };

        private static void EnsureSameRun(string path, JournalHeader existing, JournalHeader wanted)
        {
            if (TenantsDiffer(existing.TenantId, wanted.TenantId))
            {
                throw new E4UpgradeException(ErrorIds.JournalOtherTenant, ErrorCategoryNames.InvalidArgument,
                    $"The journal '{path}' was written for tenant {existing.TenantId}, but this session is signed in to tenant {wanted.TenantId}. " +
                    "A journal is continued only in its own tenant: pass another -JournalPath, or connect to the journal's tenant.");
            }

            if (existing.SourceSkuId == wanted.SourceSkuId && existing.TargetSkuId == wanted.TargetSkuId)
            {
                if (new HashSet<Guid>(existing.TargetAddOnSkuIds).SetEquals(wanted.TargetAddOnSkuIds))
                {
                    return;
                }

                throw new E4UpgradeException(ErrorIds.CompoundTargetChanged, ErrorCategoryNames.InvalidArgument,
                    $"The journal '{path}' was started for {existing.SourceSku} -> {existing.TargetSku}, not {wanted.SourceSku} -> {wanted.TargetSku}: " +
                    "users it moved hold the first target's add-ons. Run again with the same -TargetSku to finish that upgrade, " +
                    "or pass another -JournalPath to start a separate one.");
            }

            throw new E4UpgradeException(ErrorIds.JournalMismatch, ErrorCategoryNames.InvalidArgument,
                $"The journal '{path}' belongs to another run ({existing.SourceSku} -> {existing.TargetSku}" +
                (string.IsNullOrEmpty(existing.TenantId) ? "" : " in tenant " + existing.TenantId) +
                $"), not {wanted.SourceSku} -> {wanted.TargetSku}" +
                (string.IsNullOrEmpty(wanted.TenantId) ? "" : " in tenant " + wanted.TenantId) +
                ". Pass another -JournalPath, or the same source and target.");
        }

        /// <summary>
        /// Two tenants differ when both are known and of one kind (two tenant ids, or two names) that do not match. A
        /// name (contoso.onmicrosoft.com) and an id cannot be compared offline, so they are not taken as different.
        /// </summary>
        internal static bool TenantsDiffer(string? existing, string? wanted)
        {
            if (string.IsNullOrWhiteSpace(existing) || string.IsNullOrWhiteSpace(wanted))
            {
                return false;
            }

            var existingIsId = Guid.TryParse(existing, out var existingId);
            var wantedIsId = Guid.TryParse(wanted, out var wantedId);
            if (existingIsId != wantedIsId)
            {
                return false;
            }

            return existingIsId ? existingId != wantedId : !string.Equals(existing!.Trim(), wanted!.Trim(), StringComparison.OrdinalIgnoreCase);
        }

        internal static string SafeName(string text)
        {
            var invalid = System.IO.Path.GetInvalidFileNameChars();
            var chars = text.Trim().Select(c => invalid.Contains(c) || c == ' ' ? '_' : c).ToArray();
            return new string(chars);
        }
    }
}
