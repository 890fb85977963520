using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Undo-E4Upgrade: reverses what the runs of a journal did. Every user the journal records as Moved, and every group
    /// whose swap was sent, is read now and decided by <see cref="UndoPlanner"/>; the source's free seats are checked
    /// for all of them before any write (InsufficientSourceSeats); then each is given back its source and loses the
    /// target in one assignLicense call: users 20 to a $batch, each batch read again right before its write, paced like a
    /// run (<see cref="PacedWrites"/>), groups one at a time, every write through the one <see cref="VerifiedWriter"/>. Journaled like a run, in the same journal
    /// under the same lock: the intent before every write, the result after, so the same command continues a stopped
    /// undo and never writes a user it finished (one whose write had no recorded answer is read again first).
    /// </summary>
    public sealed class UndoRunner
    {
        private const int BatchSize = 20;
        private readonly ILicensingGateway _gateway;
        private readonly MoveEngineSettings _settings;
        private readonly IClock _clock;

        /// <param name="settings">The move engine's pacing, replication lag and clock, which the undo shares.</param>
        public UndoRunner(ILicensingGateway gateway, MoveEngineSettings? settings = null, IClock? clock = null)
        {
            _gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
            _settings = settings ?? new MoveEngineSettings();
            _clock = clock ?? _settings.Clock ?? new SystemClock();
        }

        /// <summary>
        /// Runs the undo (with PlanOnly, reports the plan and writes nothing). Throws E4UpgradeException JournalNotFound,
        /// NotAJournal, JournalCorrupt, JournalOtherTenant, JournalWithoutTenantId, JournalInUse, SkuNotFound (the source
        /// is gone), InsufficientSourceSeats (before any write), TokenExpired/PermissionMissing (after journaling what was
        /// done); OperationCanceledException on cancellation (journal intact).
        /// </summary>
        public async Task<UndoSummary> RunAsync(UndoOptions options, IUndoReporter? reporter, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            reporter ??= new NullUndoReporter();
            var startedAt = _clock.Now;
            // A file or an append blob, as for a run (JournalStores); the blob's lease is the undo's lock as it is a run's.
            var store = JournalStores.For(options.JournalPath, options.JournalAccess, _clock);
            // -WhatIf reads without the lock and writes nothing; an undo holds the journal for its whole length, as a run does.
            JournalReplay replay;
            UpgradeJournal? opened = null;
            if (options.PlanOnly)
            {
                replay = ReadWithoutLock(store, options.TenantId);
            }
            else
            {
                opened = UpgradeJournal.OpenForUndo(store, options.TenantId, out replay);
            }

            using var journal = opened;

            var header = replay.Header!;
            var summary = new UndoSummary { JournalPath = JournalStores.Describe(store.Location), PlanOnly = options.PlanOnly, RunId = journal?.RunId };
            var planner = await PlannerAsync(header, cancellationToken).ConfigureAwait(false);
            summary.SourceSku = planner.Source.SkuPartNumber;
            summary.TargetSku = planner.TargetNames;

            if (!replay.Completed)
            {
                reporter.Warning($"The last run on {summary.JournalPath} did not finish. Only users and groups it recorded as moved are given back; " +
                                 "one whose write had no recorded answer is not (Get-E4UpgradeReport shows it Unconfirmed).");
            }

            var work = new UndoWork(this, options, reporter, journal, planner, summary, replay.Undo);
            await work.RunAsync(cancellationToken).ConfigureAwait(false);
            summary.Duration = _clock.Now - startedAt;
            journal?.WriteUndoFinished(summary);
            return summary;
        }

        private static JournalReplay ReadWithoutLock(IJournalStore store, string? tenantId)
        {
            JournalHeader.RequireTenantId(tenantId, store.Location);
            if (!store.Exists())
            {
                throw UndoJournalBinding.NotFound(store.Location);
            }

            using var stream = store.OpenForReading();
            var replay = JournalReplay.Read(stream, store.Location, lenient: false, details: false);
            UndoJournalBinding.Check(replay.Header, tenantId, store.Location);
            return replay;
        }

        private async Task<UndoPlanner> PlannerAsync(JournalHeader header, CancellationToken cancellationToken)
        {
            var skus = await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
            var source = skus.FirstOrDefault(s => s.SkuId == header.SourceSkuId)
                ?? throw new E4UpgradeException(ErrorIds.SkuNotFound, ErrorCategoryNames.ObjectNotFound,
                    $"The tenant no longer has {header.SourceSku} ({header.SourceSkuId}), the SKU the run moved users from; there is nothing to give back. Nothing was changed.");
            var targetIds = new[] { header.TargetSkuId }.Concat(header.TargetAddOnSkuIds).ToList();
            var names = header.TargetSku.Split('+').Select(n => n.Trim()).ToList();
            var targets = targetIds.Select((id, i) => skus.FirstOrDefault(s => s.SkuId == id)
                ?? new SkuInfo { SkuId = id, SkuPartNumber = i < names.Count && names[i].Length > 0 ? names[i] : id.ToString() }).ToList();
            return new UndoPlanner(source, targets);
        }

        /// <summary>One undo's reads, decisions and writes; the runner's state for its length.</summary>
        private sealed class UndoWork
        {
            private readonly UndoRunner _runner;
            private readonly UndoOptions _options;
            private readonly IUndoReporter _reporter;
            private readonly UpgradeJournal? _journal;
            private readonly UndoPlanner _planner;
            private readonly UndoSummary _summary;
            private readonly UndoLedger _ledger;
            private int _done;
            private int _total;

            public UndoWork(UndoRunner runner, UndoOptions options, IUndoReporter reporter, UpgradeJournal? journal, UndoPlanner planner, UndoSummary summary, UndoLedger ledger)
            {
                _runner = runner;
                _options = options;
                _reporter = reporter;
                _journal = journal;
                _planner = planner;
                _summary = summary;
                _ledger = ledger;
            }

            private ILicensingGateway Gateway => _runner._gateway;

            public async Task RunAsync(CancellationToken cancellationToken)
            {
                var (users, groups, unknown) = Select();
                _total = users.Count + groups.Count + unknown.Count;
                var decided = await DecideUsersAsync(users, cancellationToken).ConfigureAwait(false);
                var groupDecisions = await DecideGroupsAsync(groups, cancellationToken).ConfigureAwait(false);
                var members = new List<UserLicenses>();
                foreach (var (group, decision, _) in groupDecisions.Where(g => g.Decision.Writes))
                {
                    await foreach (var member in Gateway.ListGroupMembersAsync(group.GroupId, cancellationToken).ConfigureAwait(false))
                    {
                        members.Add(member);
                    }
                }

                CheckSeats(decided, members);
                _journal?.WriteUndoStarted(_options.RanBy);
                _reporter.Verbose($"Undo of {_summary.JournalPath}: {decided.Count(d => d.Decision.Writes)} users and {groupDecisions.Count(g => g.Decision.Writes)} groups to give back {_planner.Source.SkuPartNumber}; " +
                                  $"{_summary.DoneEarlier} done by an earlier undo.");

                foreach (var id in unknown)
                {
                    Report(new UndoResult
                    {
                        Kind = UndoTargetKind.User, Id = id, Name = id, Status = UndoStatus.Skipped, Reason = ErrorIds.UndoNotMovedByRun, SourceSku = _planner.Source.SkuPartNumber,
                        Message = "The journal records no move of this user by its runs (it was not moved, or moved with a group); nothing to undo here.",
                    }, journal: false);
                }

                foreach (var (moved, decision, failure) in decided.Where(d => !d.Decision.Writes))
                {
                    Report(failure ?? UserResult(moved, decision), journal: true);
                }

                foreach (var (group, decision, failure) in groupDecisions.Where(g => !g.Decision.Writes))
                {
                    Report(failure ?? GroupResult(group, decision), journal: true);
                }

                var toWrite = decided.Where(d => d.Decision.Writes).ToList();
                var groupsToWrite = groupDecisions.Where(g => g.Decision.Writes).ToList();
                if (_options.PlanOnly)
                {
                    foreach (var (moved, decision, _) in toWrite)
                    {
                        Report(UserResult(moved, decision), journal: false);
                    }

                    foreach (var (group, decision, _) in groupsToWrite)
                    {
                        Report(GroupResult(group, decision), journal: false);
                    }

                    return;
                }

                var writes = new PacedWrites(Gateway, _runner._clock, _runner._settings.Pacer);
                for (var start = 0; start < toWrite.Count; start += BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await UndoUsersAsync(writes, toWrite.Skip(start).Take(BatchSize).ToList(), cancellationToken).ConfigureAwait(false);
                }

                foreach (var group in groupsToWrite)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await UndoGroupAsync(group.Group, group.Decision, cancellationToken).ConfigureAwait(false);
                }
            }

            /// <summary>The journal's moved users and groups the options name, less those an earlier undo finished; and names not in the journal.</summary>
            private (List<MovedUser> Users, List<MovedGroup> Groups, List<string> Unknown) Select()
            {
                var users = _ledger.MovedUsers.ToList();
                var groups = _ledger.MovedGroups.ToList();
                var unknown = new List<string>();
                if (_options.Subset)
                {
                    var named = (_options.Users ?? Array.Empty<string>()).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                    var index = new Dictionary<string, MovedUser>(StringComparer.OrdinalIgnoreCase);
                    foreach (var user in users)
                    {
                        index[user.UserId] = user;
                        if (!string.IsNullOrEmpty(user.UserPrincipalName))
                        {
                            index[user.UserPrincipalName!] = user;
                        }
                    }

                    var byName = named.ToDictionary(n => n, n => index.TryGetValue(n, out var user) ? user : null, StringComparer.OrdinalIgnoreCase);
                    unknown = byName.Where(p => p.Value == null).Select(p => p.Key).ToList();
                    users = byName.Values.Where(u => u != null).Select(u => u!).Distinct().ToList();
                    var groupIds = new HashSet<string>(_options.Groups ?? Array.Empty<string>(), StringComparer.OrdinalIgnoreCase);
                    groups = groups.Where(g => groupIds.Contains(g.GroupId)).ToList();
                }

                var doneUsers = users.Where(u => _ledger.EntryOf(UndoTargetKind.User, u.UserId)?.Done == true).ToList();
                var doneGroups = groups.Where(g => _ledger.EntryOf(UndoTargetKind.Group, g.GroupId)?.Done == true).ToList();
                _summary.DoneEarlier = doneUsers.Count + doneGroups.Count;
                return (users.Except(doneUsers).ToList(), groups.Except(doneGroups).ToList(), unknown);
            }

            private async Task<List<(MovedUser Moved, UndoDecision Decision, UndoResult? Failure)>> DecideUsersAsync(List<MovedUser> users, CancellationToken cancellationToken)
            {
                var decided = new List<(MovedUser, UndoDecision, UndoResult?)>();
                for (var start = 0; start < users.Count; start += BatchSize)
                {
                    var chunk = users.Skip(start).Take(BatchSize).ToList();
                    var lookups = await Gateway.GetUsersAsync(chunk.Select(u => u.UserId).ToList(), cancellationToken).ConfigureAwait(false);
                    foreach (var moved in chunk)
                    {
                        var lookup = lookups.FirstOrDefault(l => string.Equals(l.Key, moved.UserId, StringComparison.OrdinalIgnoreCase));
                        if (lookup?.Failure != null)
                        {
                            decided.Add((moved, UndoDecision.Skip(ErrorIds.GraphError, ""), Failed(UndoTargetKind.User, moved.UserId, moved.UserPrincipalName, lookup.Failure, "reading the user")));
                            continue;
                        }

                        decided.Add((moved, _planner.ForUser(moved, lookup?.User), null));
                    }
                }

                return decided;
            }

            private async Task<List<(MovedGroup Group, UndoDecision Decision, UndoResult? Failure)>> DecideGroupsAsync(List<MovedGroup> groups, CancellationToken cancellationToken)
            {
                var decided = new List<(MovedGroup, UndoDecision, UndoResult?)>();
                foreach (var group in groups)
                {
                    var now = await Gateway.GetGroupAsync(group.GroupId, cancellationToken).ConfigureAwait(false);
                    decided.Add((group, _planner.ForGroup(group, now), null));
                }

                return decided;
            }

            /// <summary>The blocker before any write: the source must have a free seat for everyone who would hold it again.</summary>
            private void CheckSeats(List<(MovedUser Moved, UndoDecision Decision, UndoResult? Failure)> users, List<UserLicenses> members)
            {
                var needed = UndoPlanner.SeatsNeeded(users.Where(u => u.Decision.Writes && u.Decision.NeedsSeat).Select(u => u.Moved.UserId), members, _planner.Source.SkuId);
                _summary.SourceSeatsNeeded = needed;
                _summary.SourceSeatsFree = _planner.Source.AvailableUnits;
                if (needed <= _planner.Source.AvailableUnits)
                {
                    return;
                }

                var blocker = _planner.SeatBlocker(needed);
                if (!_options.PlanOnly)
                {
                    throw blocker;
                }

                _reporter.Warning("The undo would refuse to start: " + blocker.Message);
            }

            private async Task UndoUsersAsync(PacedWrites writes, List<(MovedUser Moved, UndoDecision Decision, UndoResult? Failure)> planned, CancellationToken cancellationToken)
            {
                var batch = await StillAsPlannedAsync(planned, cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    return;
                }

                var byId = batch.ToDictionary(b => b.Moved.UserId, StringComparer.OrdinalIgnoreCase);
                var writer = new VerifiedWriter(_runner._clock, _runner._settings.ReplicationLag, _options.WriteAttempts, Backoff.Slow);
                var results = await writer.SendAsync(
                    batch.Select(b => b.Moved.UserId).ToList(),
                    (keys, ct) =>
                    {
                        foreach (var key in keys)
                        {
                            _journal!.WriteUndoSending(key, isGroup: false);
                        }

                        return writes.SendAsync(keys.Select(k => new WriteRequest { RequestId = k, UserId = k, Kind = WriteKind.AssignLicense, Change = byId[k].Decision.Change }).ToList(), ct);
                    },
                    async (keys, ct) =>
                    {
                        var lookups = await Gateway.GetUsersAsync(keys, ct).ConfigureAwait(false);
                        return lookups.Where(l => l.User != null && _planner.HoldsStart(l.User, byId[l.Key].Moved.SourceDisabledPlanIds!, byId[l.Key].Moved.TargetsHeldBefore)).Select(l => l.Key).ToList();
                    },
                    cancellationToken).ConfigureAwait(false);
                _summary.Throttled += writer.Throttled;
                foreach (var (moved, decision, _) in batch)
                {
                    var written = results[moved.UserId];
                    StopOnSignInRefusal(written.Outcome);
                    var result = written.Succeeded
                        ? UserResult(moved, decision, UndoStatus.Undone, written.ReadBack ? " The write's answer was lost; a read showed it had landed, so it was not sent again." : "")
                        : Failed(UndoTargetKind.User, moved.UserId, moved.UserPrincipalName, written.Outcome, "the undo write");
                    result.Attempts = written.Attempts;
                    Report(result, journal: true);
                }
            }

            /// <summary>
            /// Reads the batch again right before its write: the plan's read may be minutes old for a large tenant, and a
            /// user changed since must be left alone (SubscriptionCloser's removals do the same). Those decided otherwise now are reported.
            /// </summary>
            private async Task<List<(MovedUser Moved, UndoDecision Decision, UndoResult? Failure)>> StillAsPlannedAsync(
                List<(MovedUser Moved, UndoDecision Decision, UndoResult? Failure)> planned, CancellationToken cancellationToken)
            {
                var lookups = await Gateway.GetUsersAsync(planned.Select(p => p.Moved.UserId).ToList(), cancellationToken).ConfigureAwait(false);
                var fresh = new List<(MovedUser, UndoDecision, UndoResult?)>();
                foreach (var (moved, _, _) in planned)
                {
                    var lookup = lookups.FirstOrDefault(l => string.Equals(l.Key, moved.UserId, StringComparison.OrdinalIgnoreCase));
                    if (lookup?.Failure != null)
                    {
                        Report(Failed(UndoTargetKind.User, moved.UserId, moved.UserPrincipalName, lookup.Failure, "reading the user"), journal: true);
                        continue;
                    }

                    var now = _planner.ForUser(moved, lookup?.User);
                    if (now.Writes)
                    {
                        fresh.Add((moved, now, null));
                    }
                    else
                    {
                        Report(UserResult(moved, now), journal: true);
                    }
                }

                return fresh;
            }

            private async Task UndoGroupAsync(MovedGroup group, UndoDecision decision, CancellationToken cancellationToken)
            {
                var writer = new VerifiedWriter(_runner._clock, _runner._settings.ReplicationLag, _options.WriteAttempts, Backoff.Slow);
                var results = await writer.SendAsync(
                    new[] { group.GroupId },
                    async (_, ct) =>
                    {
                        _journal!.WriteUndoSending(group.GroupId, isGroup: true);
                        var answer = await Gateway.AssignGroupLicenseAsync(group.GroupId, decision.Change!, ct).ConfigureAwait(false);
                        answer.RequestId = group.GroupId;
                        return new[] { answer };
                    },
                    async (_, ct) =>
                    {
                        var now = await Gateway.GetGroupAsync(group.GroupId, ct).ConfigureAwait(false);
                        return now != null && _planner.GroupHoldsStart(now, group.SourceDisabledPlanIds!, group.TargetsHeldBefore) ? new[] { group.GroupId } : Array.Empty<string>();
                    },
                    cancellationToken).ConfigureAwait(false);
                _summary.Throttled += writer.Throttled;
                var written = results[group.GroupId];
                StopOnSignInRefusal(written.Outcome);
                var result = written.Succeeded
                    ? GroupResult(group, decision, UndoStatus.Undone, written.ReadBack ? " The write's answer was lost; a read showed it had landed, so it was not sent again." : "")
                    : Failed(UndoTargetKind.Group, group.GroupId, group.GroupName, written.Outcome, "the group's undo write");
                result.Attempts = written.Attempts;
                Report(result, journal: true);
            }

            /// <summary>A 401 or 403 stops the undo (after the results before it were journaled), as it stops a run.</summary>
            private static void StopOnSignInRefusal(GraphAnswer outcome)
            {
                if (outcome.Status == 401 || outcome.Status == 403)
                {
                    throw StopErrors.For(outcome.Status == 401 ? OutcomeKind.TokenExpired : OutcomeKind.AccessDenied, outcome);
                }
            }

            private UndoResult UserResult(MovedUser moved, UndoDecision decision, UndoStatus? status = null, string note = "") =>
                Result(UndoTargetKind.User, moved.UserId, moved.UserPrincipalName, decision, moved.SourceDisabledPlanIds, status, note);

            private UndoResult GroupResult(MovedGroup group, UndoDecision decision, UndoStatus? status = null, string note = "")
            {
                var result = Result(UndoTargetKind.Group, group.GroupId, group.GroupName, decision, group.SourceDisabledPlanIds, status, note);
                if (result.Status == UndoStatus.Undone)
                {
                    result.Message += " Entra gives its members the change in the background; Get-E4UpgradeReport and the admin center show when they are done.";
                }

                return result;
            }

            private UndoResult Result(UndoTargetKind kind, string id, string? name, UndoDecision decision, IReadOnlyList<Guid>? sourceDisabled, UndoStatus? status, string note)
            {
                var final = status ?? decision.Status;
                var plans = _planner.SourcePlanNames(sourceDisabled);
                var planText = plans.Count > 0 ? $" with {string.Join(", ", plans)} disabled as before" : " with every plan enabled as before";
                return new UndoResult
                {
                    Kind = kind,
                    Id = id,
                    Name = name,
                    Status = final,
                    Reason = decision.Reason,
                    SourceSku = _planner.Source.SkuPartNumber,
                    DisabledPlans = decision.Writes || final == UndoStatus.AlreadyUndone ? plans : Array.Empty<string>(),
                    RemovedSkus = decision.Writes ? _planner.Targets.Select(t => t.SkuPartNumber).ToList() : (IReadOnlyList<string>)Array.Empty<string>(),
                    Message = final switch
                    {
                        UndoStatus.Undone => $"Given back {_planner.Source.SkuPartNumber}{planText}, and {_planner.TargetNames} removed, in one call.{note}",
                        UndoStatus.WouldUndo => $"Would get back {_planner.Source.SkuPartNumber}{planText}, and lose {_planner.TargetNames}, in one call.",
                        _ => decision.Message,
                    },
                };
            }

            private UndoResult Failed(UndoTargetKind kind, string id, string? name, GraphAnswer outcome, string what)
            {
                var retried = RetryClassifier.OfStatus(outcome.Status) != RetryKind.None;
                return new UndoResult
                {
                    Kind = kind,
                    Id = id,
                    Name = name,
                    Status = UndoStatus.Failed,
                    Reason = retried ? ErrorIds.RetriesExhausted : ErrorIds.GraphError,
                    SourceSku = _planner.Source.SkuPartNumber,
                    Message = $"Graph refused {what} (HTTP {outcome.Status} {outcome.ErrorCode}: {outcome.ErrorMessage}){(retried ? " after every attempt" : "")}. Nothing of it changed; run the same Undo-E4Upgrade again to retry.",
                };
            }

            private void Report(UndoResult result, bool journal)
            {
                if (journal && !_options.PlanOnly)
                {
                    _journal!.WriteUndoResult(result);
                }

                _summary.Count(result);
                _reporter.Result(result);
                _reporter.Progress(++_done, Math.Max(_total, _done), $"{_summary.Undone} undone, {_summary.Skipped} skipped, {_summary.Failed} failed");
            }
        }
    }
}
