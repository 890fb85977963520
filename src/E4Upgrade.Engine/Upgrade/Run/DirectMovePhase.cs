using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Moves the direct E4 assignments through the LicenseMoveEngine. The holders stream straight from the listing
    /// into the engine (no full list in memory); users an earlier run finished who still hold E4 are read again and
    /// decided from live data, users whose write had no recorded answer are re-read first. The listing is paged while moved users drop out of it, so the phase lists
    /// again until a pass finds nobody new. A user this run reported done who a pass lists again (a lagging listing, or
    /// a write reverted after it succeeded) is read and decided again, once; still listed after that, they count in
    /// <see cref="UpgradeSummary.DirectHoldersLeft"/> and the run is not Succeeded.
    /// </summary>
    internal sealed class DirectMovePhase
    {
        private const int MaxPasses = 3;

        private readonly ILicensingGateway _gateway;
        private readonly MoveEngineSettings _engineSettings;
        private readonly UpgradeOptions _options;
        private readonly IUpgradeReporter _reporter;
        private readonly UpgradeJournal? _journal;
        private readonly JournalState _prior;
        private readonly MovePlan _plan;
        private readonly UpgradeSummary _summary;
        private readonly HashSet<string> _taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _doneButListed = new List<string>();
        /// <summary>Users this run reported done who the current listing pass showed again holding E4 directly.</summary>
        private readonly HashSet<string> _relisted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Users read and decided again in this run because a listing showed them again.</summary>
        private readonly HashSet<string> _rechecked = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        /// <summary>This run's last result per user, so a user decided again is counted once in the summary.</summary>
        private readonly Dictionary<string, MoveStatus> _resultOf = new Dictionary<string, MoveStatus>(StringComparer.OrdinalIgnoreCase);
        private long _reported;

        public DirectMovePhase(ILicensingGateway gateway, MoveEngineSettings engineSettings, UpgradeOptions options, IUpgradeReporter reporter,
            UpgradeJournal? journal, JournalState prior, MovePlan plan, UpgradeSummary summary)
        {
            _plan = plan;
            _gateway = gateway;
            _engineSettings = engineSettings;
            _options = options;
            _reporter = reporter;
            _journal = journal;
            _prior = prior;
            _summary = summary;
        }

        public async Task RunAsync(long expected, CancellationToken cancellationToken)
        {
            var engine = new LicenseMoveEngine(_gateway, SettingsWithJournal());
            // The upgrade's one plan (UpgradePlan): the SKUs, checks and seat ledger eligibility was decided on.
            var plan = _plan;
            if (_prior.GroupsToVerify.Any())
            {
                await WithholdSeatsOwedToEarlierSwapsAsync(plan, cancellationToken).ConfigureAwait(false);
            }

            _reporter.PhaseStarted(UpgradePhase.DirectAssignments,
                $"{(_options.PlanOnly ? "Planning" : "Moving")} direct assignments {_plan.Source.SkuPartNumber} -> {_plan.Target.PartNumbers}", expected);

            var recheck = _prior.UsersToRecheck;
            if (recheck.Count > 0)
            {
                _reporter.Verbose($"Re-reading {recheck.Count} users whose last write has no recorded answer (the engine reports AlreadyMoved where it landed).");
                _taken.UnionWith(recheck);
                await ConsumeAsync(engine.MoveAsync(References(recheck, cancellationToken), plan, Relay(expected), cancellationToken), cancellationToken, goneIfNotFound: true).ConfigureAwait(false);
            }

            for (var pass = 1; pass <= (_options.PlanOnly ? 1 : MaxPasses); pass++)
            {
                _relisted.Clear();
                var count = await ConsumeAsync(engine.MoveAsync(DirectHolders(cancellationToken), plan, Relay(expected), cancellationToken), cancellationToken).ConfigureAwait(false);
                if (pass > 1 && count > 0)
                {
                    _reporter.Verbose($"Listing pass {pass} found {count} more direct {SourceSkuName.Of(_plan.Source)} holders.");
                }

                var toRecheck = _relisted.Where(id => !_rechecked.Contains(id)).ToList();
                // Listed again although a read by id after the listing showed them moved (AlreadyMoved) is the listing
                // lagging; listed again after this run had to write them once more is a change that does not hold.
                _summary.DirectHoldersLeft = _relisted.Count(id => _rechecked.Contains(id) && WrittenAgain(id));
                if (toRecheck.Count > 0)
                {
                    // Listed again after this run reported them done: a listing that lags, or a write reverted after
                    // it succeeded. Each is read by id and decided again; the next pass shows whether they stay listed.
                    _reporter.Verbose($"Listing pass {pass}: {toRecheck.Count} users this run finished are still listed with {SourceSkuName.Of(_plan.Source)}; reading them again.");
                    _rechecked.UnionWith(toRecheck);
                    // A read by id sooner than the replication lag after the listing may be as stale as the listing, and
                    // would send the write again (Microsoft Entra developer blog, "Designing for eventual consistency").
                    await (_engineSettings.Clock ?? new SystemClock()).DelayAsync(_engineSettings.ReplicationLag, cancellationToken).ConfigureAwait(false);
                    await ConsumeAsync(engine.MoveAsync(References(toRecheck, cancellationToken), plan, Relay(expected), cancellationToken), cancellationToken, recheck: true).ConfigureAwait(false);
                    if (pass < MaxPasses)
                    {
                        continue;
                    }

                    // No pass is left to show whether a change written again holds: not claimed.
                    _summary.DirectHoldersLeft += toRecheck.Count(WrittenAgain);
                }

                if (count == 0)
                {
                    break;
                }
            }

            if (_summary.DirectHoldersLeft > 0)
            {
                _reporter.Warning($"{_summary.DirectHoldersLeft} users this run reported moved are still listed holding {SourceSkuName.Of(_plan.Source)} directly after being read and decided again; "
                    + "the run is not reported Succeeded. Run the same command again once the tenant has settled.");
            }

            if (_doneButListed.Count > 0)
            {
                // E4 was assigned again after an earlier run finished them (or the listing lags): never trusted blindly,
                // each is read again and decided from what it holds now (AlreadyMoved, or moved again).
                _reporter.Verbose($"{_doneButListed.Count} users an earlier run finished still hold {SourceSkuName.Of(_plan.Source)}; reading them again to decide from live data.");
                await ConsumeAsync(engine.MoveAsync(References(_doneButListed, cancellationToken), plan, Relay(expected), cancellationToken), cancellationToken).ConfigureAwait(false);
            }

            _reporter.PhaseCompleted(UpgradePhase.DirectAssignments,
                _options.PlanOnly
                    ? $"{_summary.WouldMove} users would move, {_summary.Skipped} skipped, {_summary.Failed} failed, {_summary.DoneEarlier} done earlier."
                    : $"{_summary.Moved} moved, {_summary.AlreadyMoved} already moved, {_summary.Skipped} skipped, {_summary.Failed} failed, {_summary.DoneEarlier} done earlier.");
        }

        private bool WrittenAgain(string userId) => _resultOf.TryGetValue(userId, out var status) && status == MoveStatus.Moved;

        private async Task<long> ConsumeAsync(IAsyncEnumerable<MoveResult> results, CancellationToken cancellationToken, bool goneIfNotFound = false, bool recheck = false)
        {
            long count = 0;
            await foreach (var engineResult in results.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var result = goneIfNotFound && engineResult.Reason == ErrorIds.UserNotFound ? Gone(engineResult) : engineResult;
                count++;
                if (!recheck)
                {
                    _reported++;
                }

                if (recheck && _resultOf.TryGetValue(result.UserId, out var earlier))
                {
                    if (result.Status == MoveStatus.AlreadyMoved && (earlier == MoveStatus.Moved || earlier == MoveStatus.AlreadyMoved))
                    {
                        // The listing lagged: the user holds what this run gave them, and the row already reported stands.
                        continue;
                    }

                    _summary.Uncount(earlier);
                }

                _resultOf[result.UserId] = result.Status;
                _summary.Count(result);
                _reporter.UserResult(result);
            }

            return count;
        }

        /// <summary>
        /// A user re-read by id because an earlier run's write had no answer, who no longer exists: deleted since.
        /// Reported once as gone; the journal then counts them done (see JournalState), so later runs stay green.
        /// </summary>
        private MoveResult Gone(MoveResult notFound)
        {
            _reporter.Warning($"User {notFound.UserId} was deleted after an earlier run tried to move them; recorded as gone, not tried again.");
            return new MoveResult
            {
                UserId = notFound.UserId,
                UserPrincipalName = notFound.UserPrincipalName,
                Status = MoveStatus.Skipped,
                Reason = ErrorIds.UserDeleted,
                Message = "The user no longer exists (deleted after an earlier run tried to move them); nothing is left to move.",
                Attempts = notFound.Attempts,
            };
        }

        /// <summary>
        /// Holds back the seats owed to group swaps an earlier run sent and did not verify (Upgrade/Groups/EarlierGroupSwaps),
        /// which consumedUnits does not show yet. The free seats are read again after the members were listed, so a member
        /// Entra processed in between is counted twice (safe), never missed; the plan's own read is older than the listing.
        /// </summary>
        private async Task WithholdSeatsOwedToEarlierSwapsAsync(MovePlan plan, CancellationToken cancellationToken)
        {
            var promised = await EarlierGroupSwaps.PromisedSeatsAsync(_gateway, _prior.GroupsToVerify, plan.Target, cancellationToken).ConfigureAwait(false);
            var fresh = await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
            var hold = new Dictionary<Guid, int>();
            foreach (var sku in plan.Target.Skus)
            {
                var freeNow = fresh.FirstOrDefault(s => s.SkuId == sku.SkuId)?.AvailableUnits ?? 0;
                var usedSincePlan = Math.Max(0, sku.AvailableUnits - freeNow);
                hold[sku.SkuId] = usedSincePlan + (promised.TryGetValue(sku.SkuId, out var owed) ? owed : 0);
            }

            plan.Seats.Withhold(hold);
        }

        private async IAsyncEnumerable<UserLicenses> DirectHolders([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var user in _gateway.ListUsersWithSkuAsync(_plan.Source.SkuId, cancellationToken).ConfigureAwait(false))
            {
                // Inherited-only holders move at their group; the taken set keeps each user to one decision per listing.
                if (!LicenseHolding.Of(user, _plan.Source.SkuId).Direct)
                {
                    continue;
                }

                if (!_taken.Add(user.Id))
                {
                    if (_resultOf.TryGetValue(user.Id, out var status) && (status == MoveStatus.Moved || status == MoveStatus.AlreadyMoved))
                    {
                        _relisted.Add(user.Id);
                    }

                    continue;
                }

                if (_prior.IsDone(user.Id))
                {
                    // Finished by an earlier run yet listed again: decided again from a fresh read after the listing.
                    _doneButListed.Add(user.Id);
                    continue;
                }

                yield return user;
            }
        }

        private static async IAsyncEnumerable<UserReference> References(IReadOnlyList<string> ids, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var id in ids)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new UserReference(id);
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }

        private IProgress<MoveProgress> Relay(long expected) => new ProgressRelay(this, expected, _reported);

        /// <summary>The caller's engine settings with the journal hooked in as the observer (chained to the caller's own).</summary>
        private MoveEngineSettings SettingsWithJournal()
        {
            return _journal == null ? _engineSettings : _engineSettings.WithObserver(new JournalObserver(_journal, _engineSettings.Observer, _plan.Source));
        }

        /// <summary>Journals the engine's decisions: the intent before each write, the result before it is yielded.</summary>
        private sealed class JournalObserver : IMoveObserver
        {
            private readonly UpgradeJournal _journal;
            private readonly IMoveObserver? _inner;
            private readonly SkuInfo _source;

            public JournalObserver(UpgradeJournal journal, IMoveObserver? inner, SkuInfo source)
            {
                _journal = journal;
                _inner = inner;
                _source = source;
            }

            public void WriteSending(string userId)
            {
                _journal.WriteSending(userId, null);
                _inner?.WriteSending(userId);
            }

            public void Completed(MoveResult result)
            {
                // A moved user's source plans by id: what Undo-E4Upgrade gives back (Upgrade/Undo).
                _journal.WriteResult(result, result.Status == MoveStatus.Moved ? SourcePlanIds.FromNames(_source, result.DisabledPlansBefore) : null);
                _inner?.Completed(result);
            }
        }

        /// <summary>Turns the engine's counters into phase progress; counts 429s into the summary.</summary>
        private sealed class ProgressRelay : IProgress<MoveProgress>
        {
            private readonly object _gate = new object();
            private readonly DirectMovePhase _phase;
            private readonly long _expected;
            private readonly long _offset;
            private long _throttled;

            public ProgressRelay(DirectMovePhase phase, long expected, long offset)
            {
                _phase = phase;
                _expected = expected;
                _offset = offset;
            }

            public void Report(MoveProgress value)
            {
                lock (_gate)
                {
                    if (value.Throttled > _throttled)
                    {
                        _phase._summary.Throttled += value.Throttled - _throttled;
                        _throttled = value.Throttled;
                    }

                    _phase._reporter.PhaseProgress(UpgradePhase.DirectAssignments, _offset + value.Completed, Math.Max(_expected, _offset + value.Received),
                        $"{value.Moved} moved, {value.Failed} failed, {value.UsersPerSecond:F1} users/s, {value.Throttled} throttled");
                }
            }
        }
    }
}
