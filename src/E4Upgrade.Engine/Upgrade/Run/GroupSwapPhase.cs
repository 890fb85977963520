using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Moves group-based E4 assignments at the group: one POST /groups/{id}/assignLicense per group that adds every SKU
    /// of the target (a suite and its add-ons) and removes E4 in the same call, then polls the members until each one
    /// holds every target SKU from this group with E4 gone, or shows an error. A 400 naming a plan dependency
    /// the engine did not know is learnt, the group's disabled plans are closed over it, and the swap is sent once more.
    /// The jobs are in Upgrade/Groups: whether a swap may be sent and its seats (<see cref="GroupPreflight"/>,
    /// <see cref="GroupSeats"/>), the write (<see cref="VerifiedWriter"/>), what a member listing says
    /// (<see cref="GroupMemberVerifier"/>). This class orders them: seats promised to swaps an earlier run sent are
    /// counted first; swaps are then sent without waiting for Entra (up to <see cref="UpgradeOptions.GroupSwapsInFlight"/>
    /// unverified at once) and verified together, so N groups take about as long as the slowest.
    /// Why one swap call and not "add target, wait until Active, then remove E4": Microsoft says never to remove the
    /// source before the target is Active, and its current Entra guidance for products without conflicting plans
    /// (every E4 target, doc sections 1 and 9) is the single group swap, which Entra applies to each member together.
    /// The older batch-by-batch migration between two groups needs a second group and membership changes, which
    /// this tool does not own.
    /// </summary>
    internal sealed class GroupSwapPhase
    {
        private readonly ILicensingGateway _gateway;
        private readonly IClock _clock;
        private readonly UpgradeOptions _options;
        private readonly IUpgradeReporter _reporter;
        private readonly UpgradeJournal? _journal;
        private readonly SkuInfo _source;
        private readonly CompoundTarget _target;
        private readonly CompoundPlanMapper _mapper;
        private readonly UpgradeSummary _summary;
        private readonly TimeSpan _replicationLag;
        private readonly GroupPreflight _preflight;
        /// <summary>Member listings of groups in flight read at the same time (our choice: a few, to bound memory and read load).</summary>
        private const int ListingsAtOnce = 4;
        private readonly List<Verifying> _inFlight = new List<Verifying>();
        private int _done;
        private int _total;

        /// <param name="replicationLag">How long a read may still show a state from before a write (MoveEngineSettings.ReplicationLag).</param>
        public GroupSwapPhase(ILicensingGateway gateway, IClock clock, UpgradeOptions options, IUpgradeReporter reporter, UpgradeJournal? journal,
            SkuInfo source, CompoundTarget target, CompoundPlanMapper mapper, UpgradeSummary summary, TimeSpan replicationLag)
        {
            _replicationLag = replicationLag;
            _gateway = gateway;
            _clock = clock;
            _options = options;
            _reporter = reporter;
            _journal = journal;
            _source = source;
            _target = target;
            _mapper = mapper;
            _summary = summary;
            _preflight = new GroupPreflight(source, target,
                options.AcceptedFindings.Contains(FindingCodes.GroupMemberConflicts, StringComparer.OrdinalIgnoreCase), reporter.Warning);
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var groups = new List<GroupLicenses>();
            await foreach (var group in _gateway.ListGroupsWithSkuAsync(_source.SkuId, cancellationToken).ConfigureAwait(false))
            {
                groups.Add(group);
            }

            // Groups an earlier run swapped (or may have swapped) but did not finish verifying: no longer listed with E4.
            var unverified = _journal == null
                ? new List<KeyValuePair<string, string>>()
                : _journal.Prior.GroupsToVerify.Where(g => groups.All(l => !string.Equals(l.Id, g.Key, StringComparison.OrdinalIgnoreCase))).ToList();

            _total = groups.Count + unverified.Count;
            _summary.Groups = _total;
            _reporter.PhaseStarted(UpgradePhase.GroupAssignments, $"Moving {_total} groups that assign {_source.SkuPartNumber} to {_target.PartNumbers}", _total);

            // The members of swaps sent earlier are listed before subscribedSkus is read: a member Entra processes in
            // between is then counted twice (safe), never missed.
            var earlier = _options.PlanOnly
                ? new List<(GroupLicenses Group, GroupSeatNeed Need)>()
                : await EarlierSwapsAsync(unverified, cancellationToken).ConfigureAwait(false);
            // Read again (the direct phase has used seats since the plan's read), and only when there is a group to send or verify.
            var skus = _total == 0
                ? (IReadOnlyList<SkuInfo>)Array.Empty<SkuInfo>()
                : await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
            var seats = new GroupSeats(GroupSeatsAvailable.Of(_target, skus, _summary.Moved));
            foreach (var (group, need) in earlier)
            {
                seats.Promise(group.Id, need);
                _reporter.Verbose($"Group {group.Label} was swapped by an earlier run; verifying its members.");
                StartVerifying(group, NewResult(group, Array.Empty<Guid>()));
            }

            var listings = new MemberListings(this, groups, cancellationToken);
            try
            {
                await SendAllAsync(groups, listings, skus, seats, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                listings.Abandon();
            }

            while (_inFlight.Count > 0)
            {
                await VerifyRoundAsync(cancellationToken).ConfigureAwait(false);
            }

            _reporter.PhaseCompleted(UpgradePhase.GroupAssignments,
                $"{_summary.GroupsSwapped} groups swapped, {_summary.GroupsFailed} failed, {_summary.GroupsTimedOut} still processing; " +
                $"members: {_summary.GroupMembersMoved} moved, {_summary.GroupMembersFailed} with errors, {_summary.GroupMembersPending} pending.");
        }

        private async Task SendAllAsync(List<GroupLicenses> groups, MemberListings listings, IReadOnlyList<SkuInfo> skus, GroupSeats seats, CancellationToken cancellationToken)
        {
            for (var index = 0; index < groups.Count; index++)
            {
                var group = groups[index];
                cancellationToken.ThrowIfCancellationRequested();
                if (_options.PlanOnly)
                {
                    Finish(await PlanAsync(group, skus, seats, cancellationToken).ConfigureAwait(false), group.Label);
                    continue;
                }

                while (_inFlight.Count >= Math.Max(1, _options.GroupSwapsInFlight))
                {
                    await VerifyRoundAsync(cancellationToken).ConfigureAwait(false);
                }

                var members = await listings.ForGroupAsync(index).ConfigureAwait(false);
                var (result, sent) = await SwapAsync(group, members, skus, seats, cancellationToken).ConfigureAwait(false);
                if (sent)
                {
                    StartVerifying(group, result);
                }
                else
                {
                    Finish(result, group.Label);
                }
            }
        }

        /// <summary>
        /// The groups an earlier run sent a swap to and did not verify, each with the members who still lack the target:
        /// seats owed to them. A group deleted since is reported gone.
        /// </summary>
        private async Task<List<(GroupLicenses Group, GroupSeatNeed Need)>> EarlierSwapsAsync(IReadOnlyList<KeyValuePair<string, string>> unverified, CancellationToken cancellationToken)
        {
            var earlier = new List<(GroupLicenses, GroupSeatNeed)>();
            foreach (var pending in unverified)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var group = await _gateway.GetGroupAsync(pending.Key, cancellationToken).ConfigureAwait(false);
                if (group == null)
                {
                    // Deleted since the swap: nothing left to verify. Recorded, so later runs do not stop on it.
                    _reporter.Warning($"Group {pending.Value} ({pending.Key}) was swapped by an earlier run and has been deleted since; recorded as gone, its members were not verified.");
                    _journal!.WriteGroupVerified(pending.Key, pending.Value, 0, 0, timedOut: false);
                    Finish(new GroupSwapOutcome
                    {
                        GroupId = pending.Key,
                        DisplayName = pending.Value,
                        Status = GroupUpgradeStatus.Gone,
                        Message = "The group was deleted after an earlier run swapped it; its members were not verified.",
                    }, pending.Value);
                    continue;
                }

                var members = await MembersAsync(group.Id, cancellationToken).ConfigureAwait(false);
                earlier.Add((group, GroupSeatNeed.Of(members, _target.SkuIds)));
            }

            return earlier;
        }

        private async Task<GroupSwapOutcome> PlanAsync(GroupLicenses group, IReadOnlyList<SkuInfo> skus, GroupSeats seats, CancellationToken cancellationToken)
        {
            var result = NewResult(group, SourceDisabledPlans(group));
            result.Status = GroupUpgradeStatus.WouldSwap;
            var members = await MembersAsync(group.Id, cancellationToken).ConfigureAwait(false);

            // The plan shows the refusal the real run would make (seats counted as the real run promises them).
            var refusal = _preflight.Check(group, members, skus, new LicenseChange(PlanMapping(SourceDisabledPlans(group)).Adds, new[] { _source.SkuId }), seats);
            if (refusal != null)
            {
                return Refused(group, result, members.Count, refusal);
            }

            foreach (var member in members)
            {
                result.Members++;
                _summary.GroupMembersWouldMove++;
                _reporter.UserResult(new MoveResult
                {
                    UserId = member.Id,
                    UserPrincipalName = member.UserPrincipalName,
                    Status = MoveStatus.WouldMove,
                    GroupId = group.Id,
                    Message = $"Moves with group {group.Label}.",
                    DisabledPlansBefore = result.DisabledPlansBefore,
                    DisabledPlansAfter = result.DisabledPlansAfter,
                    DroppedPlans = result.DroppedPlans,
                    AdjustedPlans = result.AdjustedPlans,
                });
            }

            result.Message = $"Would send one assignLicense to the group adding {_target.PartNumbers} and removing {_source.SkuPartNumber} for its {result.Members} members.";
            return result;
        }

        /// <summary>Checks the group, promises its seats and sends its swap; Sent when Entra now has to process the members.</summary>
        private async Task<(GroupSwapOutcome Result, bool Sent)> SwapAsync(GroupLicenses group, List<UserLicenses> members, IReadOnlyList<SkuInfo> skus, GroupSeats seats, CancellationToken cancellationToken)
        {
            var result = NewResult(group, SourceDisabledPlans(group));
            var name = group.Label;
            var mapping = PlanMapping(SourceDisabledPlans(group));
            var change = new LicenseChange(mapping.Adds, new[] { _source.SkuId });
            var refusal = _preflight.Check(group, members, skus, change, seats);
            if (refusal != null)
            {
                return (Refused(group, result, members.Count, refusal), false);
            }

            _journal!.WriteGroupSwapSending(group.Id, name, result.DisabledPlansBefore, result.DisabledPlansAfter);
            var outcome = await SendAsync(group.Id, change, cancellationToken).ConfigureAwait(false);
            if (IsNewDependency(outcome, mapping))
            {
                // Graph named a dependency the engine did not know: close the group's plans over it and send once more.
                var adjusted = PlanMapping(SourceDisabledPlans(group));
                Describe(result, adjusted);
                _reporter.Verbose($"Group {name}: Graph refused a plan whose base is disabled ({outcome.ErrorMessage}); retrying once with {string.Join(", ", adjusted.AdjustedPlans)}.");
                outcome = await SendAsync(group.Id, new LicenseChange(adjusted.Adds, new[] { _source.SkuId }), cancellationToken).ConfigureAwait(false);
            }

            _journal.WriteGroupSwapSent(group.Id, name, outcome.Succeeded, outcome.Succeeded ? null : outcome.ErrorMessage);
            if (!outcome.Succeeded)
            {
                seats.Release(group.Id);
                result.Status = GroupUpgradeStatus.Failed;
                result.Message = $"assignLicense on the group failed: HTTP {outcome.Status} {outcome.ErrorCode} {outcome.ErrorMessage}".TrimEnd();
                return (result, false);
            }

            _reporter.Verbose($"Group {name}: swap sent ({_source.SkuPartNumber} -> {_target.PartNumbers}); Entra processes the members while the next groups are sent.");
            return (result, true);
        }

        private GroupSwapOutcome Refused(GroupLicenses group, GroupSwapOutcome result, int members, GroupRefusal refusal)
        {
            foreach (var refused in refusal.Members)
            {
                _summary.GroupMembersFailed++;
                _reporter.UserResult(new MoveResult
                {
                    UserId = refused.Member.Id,
                    UserPrincipalName = refused.Member.UserPrincipalName,
                    Status = MoveStatus.Failed,
                    Reason = refused.Reason,
                    Message = refused.Message,
                    GroupId = group.Id,
                });
            }

            result.Status = GroupUpgradeStatus.Failed;
            result.Message = refusal.Message;
            result.Members = members;
            result.MembersFailed = refusal.Members.Count;
            return result;
        }

        /// <summary>The group's swap through the one verified write: an answer lost is read back (the group shows the swap) before a resend.</summary>
        private async Task<WriteOutcome> SendAsync(string groupId, LicenseChange change, CancellationToken cancellationToken)
        {
            var writer = new VerifiedWriter(_clock, _replicationLag, _options.GroupWriteAttempts, Backoff.Slow);
            var results = await writer.SendAsync(
                new[] { groupId },
                async (_, ct) => new[] { Keyed(await _gateway.AssignGroupLicenseAsync(groupId, change, ct).ConfigureAwait(false), groupId) },
                async (_, ct) => await LandedAsync(groupId, ct).ConfigureAwait(false) ? new[] { groupId } : Array.Empty<string>(),
                cancellationToken).ConfigureAwait(false);
            _summary.Throttled += writer.Throttled;
            var result = results[groupId];
            if (result.ReadBack)
            {
                _reporter.Verbose($"Group {groupId}: the swap whose answer was lost (or that was refused when sent again) had landed; not sent again.");
            }

            return new WriteOutcome
            {
                RequestId = groupId,
                Status = result.Outcome.Status,
                ErrorCode = result.Outcome.ErrorCode,
                ErrorMessage = result.Outcome.ErrorMessage,
                RetryAfter = result.Outcome.RetryAfter,
            };
        }

        private static WriteOutcome Keyed(WriteOutcome answer, string groupId)
        {
            answer.RequestId = groupId;
            return answer;
        }

        /// <summary>Re-reads the group: it assigns every target SKU and no longer E4, so an earlier swap landed.</summary>
        private async Task<bool> LandedAsync(string groupId, CancellationToken cancellationToken)
        {
            var group = await _gateway.GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
            return group != null
                && _target.SkuIds.All(t => group.AssignedLicenses.Any(a => a.SkuId == t))
                && group.AssignedLicenses.All(a => a.SkuId != _source.SkuId);
        }

        private async Task<List<UserLicenses>> MembersAsync(string groupId, CancellationToken cancellationToken)
        {
            var members = new List<UserLicenses>();
            await foreach (var member in _gateway.ListGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false))
            {
                members.Add(member);
            }

            return members;
        }

        /// <summary>
        /// The member listings the seat check needs, read a few groups ahead (<see cref="ListingsAtOnce"/>) so that N groups
        /// do not wait for N listings one after another. A listing read ahead is at most a few swaps old when its group is
        /// checked; a member who gained the target in between is still counted as needing a seat (safe), and members are
        /// counted once however many groups promise them one (Upgrade/Groups/GroupSeats).
        /// </summary>
        private sealed class MemberListings
        {
            private readonly GroupSwapPhase _phase;
            private readonly List<GroupLicenses> _groups;
            private readonly CancellationToken _cancellationToken;
            private readonly Dictionary<int, Task<List<UserLicenses>>> _reading = new Dictionary<int, Task<List<UserLicenses>>>();

            public MemberListings(GroupSwapPhase phase, List<GroupLicenses> groups, CancellationToken cancellationToken)
            {
                _phase = phase;
                _groups = groups;
                _cancellationToken = cancellationToken;
            }

            public Task<List<UserLicenses>> ForGroupAsync(int index)
            {
                for (var next = index; next < Math.Min(_groups.Count, index + ListingsAtOnce); next++)
                {
                    if (!_reading.ContainsKey(next))
                    {
                        _reading[next] = _phase.MembersAsync(_groups[next].Id, _cancellationToken);
                    }
                }

                var listing = _reading[index];
                _reading.Remove(index);
                return listing;
            }

            /// <summary>Listings read ahead for groups never checked (the run stopped): their failures are observed, not thrown.</summary>
            public void Abandon()
            {
                foreach (var listing in _reading.Values)
                {
                    _ = listing.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }

                _reading.Clear();
            }
        }

        /// <summary>A group whose swap was sent (now or by an earlier run) while its members are polled.</summary>
        private sealed class Verifying
        {
            public Verifying(GroupLicenses group, GroupSwapOutcome result, GroupMemberVerifier verifier, TimeSpan startedAt, TimeSpan? timeout)
            {
                Group = group;
                Result = result;
                Verifier = verifier;
                StartedAt = startedAt;
                Timeout = timeout;
            }

            public GroupLicenses Group { get; }
            public GroupSwapOutcome Result { get; }
            public GroupMemberVerifier Verifier { get; }
            public TimeSpan StartedAt { get; }
            public TimeSpan? Timeout { get; set; }
            /// <summary>Set once the timeout passed: the members are listed once more at this time (past the lag), then the group is concluded.</summary>
            public TimeSpan? CloseAt { get; set; }
        }

        private void StartVerifying(GroupLicenses group, GroupSwapOutcome result) =>
            _inFlight.Add(new Verifying(group, result, new GroupMemberVerifier(group.Id, group.Label, _source, _target, _replicationLag), _clock.Now, _options.GroupProcessingTimeout));

        /// <summary>
        /// Lists the members of every group in flight that is due (one past its timeout only once the lag has passed),
        /// concludes the groups that are done, then waits until the next listing is due. Members still pending at a
        /// group's timeout are listed once more after the lag before any is reported still pending.
        /// </summary>
        private async Task VerifyRoundAsync(CancellationToken cancellationToken)
        {
            var due = _inFlight.Where(v => !(v.CloseAt is { } closeAt && _clock.Now < closeAt)).ToList();
            for (var start = 0; start < due.Count; start += ListingsAtOnce)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // A few groups' members are read at once (their answers are then taken one group at a time), so a round
                // over many groups is not the sum of their listings.
                var listings = await Task.WhenAll(due.Skip(start).Take(ListingsAtOnce)
                    .Select(async v => (Verifying: v, ListedAt: _clock.Now, Members: await MembersAsync(v.Group.Id, cancellationToken).ConfigureAwait(false))))
                    .ConfigureAwait(false);
                foreach (var (verifying, listedAt, members) in listings)
                {
                    if (Conclude(verifying, listedAt, members))
                    {
                        _inFlight.Remove(verifying);
                    }
                }
            }

            if (_inFlight.Count == 0)
            {
                return;
            }

            var wait = _options.GroupPollInterval;
            foreach (var closing in _inFlight.Where(v => v.CloseAt.HasValue))
            {
                var untilDue = closing.CloseAt!.Value - _clock.Now;
                wait = untilDue < wait ? untilDue : wait;
            }

            await _clock.DelayAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Takes one listing of the group's members (begun at <paramref name="listedAt"/>); true when the group is concluded (verified or timed out).</summary>
        private bool Conclude(Verifying verifying, TimeSpan listedAt, IReadOnlyList<UserLicenses> listing)
        {
            var group = verifying.Group;
            var result = verifying.Result;
            var members = 0;
            var pending = new List<UserLicenses>();
            foreach (var member in listing)
            {
                members++;
                switch (verifying.Verifier.Observe(member, listedAt, out var final))
                {
                    case MemberVerdict.Pending:
                        pending.Add(member);
                        break;
                    case MemberVerdict.Moved:
                        result.MembersMoved++;
                        _summary.GroupMembersMoved++;
                        _journal?.WriteMemberResult(final!);
                        _reporter.UserResult(final!);
                        break;
                    case MemberVerdict.Failed:
                        result.MembersFailed++;
                        _summary.GroupMembersFailed++;
                        _journal?.WriteMemberResult(final!);
                        _reporter.UserResult(final!);
                        break;
                }
            }

            result.Members = members;
            verifying.Timeout ??= GroupProcessingBound.DefaultTimeout(members);
            var timeout = verifying.Timeout.Value;
            var closing = verifying.CloseAt.HasValue;
            ReportProgress(group, result, pending.Count, _clock.Now - verifying.StartedAt, timeout, pending.Count == 0 || closing);
            if (pending.Count == 0)
            {
                result.Status = result.MembersFailed > 0 ? GroupUpgradeStatus.SwappedWithErrors : GroupUpgradeStatus.Swapped;
                result.Message = $"{result.MembersMoved} members moved, {result.MembersFailed} with errors.";
                _journal?.WriteGroupVerified(group.Id, group.Label, members, result.MembersFailed, timedOut: false);
                Finish(result, group.Label);
                return true;
            }

            if (closing)
            {
                result.Status = GroupUpgradeStatus.TimedOut;
                result.MembersPending = pending.Count;
                _summary.GroupMembersPending += pending.Count;
                result.Message = $"{pending.Count} of {members} members were still being processed after {timeout}; run the same command again to verify them.";
                foreach (var member in pending)
                {
                    // Not journaled as results: the next run verifies these members again.
                    _reporter.UserResult(verifying.Verifier.StillPending(member, timeout));
                }

                _journal?.WriteGroupVerified(group.Id, group.Label, members, result.MembersFailed, timedOut: true);
                Finish(result, group.Label);
                return true;
            }

            if (_clock.Now - verifying.StartedAt >= timeout)
            {
                // One more listing once the lag has passed, so no member is left pending on a stale read.
                verifying.CloseAt = _clock.Now + _replicationLag;
            }

            return false;
        }

        private void ReportProgress(GroupLicenses group, GroupSwapOutcome result, int pending, TimeSpan waited, TimeSpan timeout, bool finished) =>
            _reporter.GroupMembersProgress(new GroupMembersProgress
            {
                GroupId = group.Id,
                Group = group.Label,
                Members = result.Members,
                Moved = result.MembersMoved,
                Failed = result.MembersFailed,
                Pending = pending,
                Waited = waited,
                Timeout = timeout,
                Finished = finished,
            });

        private GroupSwapOutcome NewResult(GroupLicenses group, IReadOnlyList<Guid> sourceDisabled)
        {
            var result = new GroupSwapOutcome
            {
                GroupId = group.Id,
                DisplayName = group.DisplayName,
                DisabledPlansBefore = _mapper.SourcePlanNames(sourceDisabled),
            };
            Describe(result, PlanMapping(sourceDisabled));
            return result;
        }

        private static void Describe(GroupSwapOutcome result, CompoundPlanMapping mapping)
        {
            result.DisabledPlansAfter = mapping.TargetDisabledPlanNames;
            result.DroppedPlans = mapping.DroppedPlanNames;
            result.AdjustedPlans = mapping.AdjustedPlans.Select(a => a.ToString()).ToList();
        }

        private CompoundPlanMapping PlanMapping(IReadOnlyList<Guid> sourceDisabled) =>
            _options.DisabledPlans != null ? _mapper.Override(_options.DisabledPlans) : _mapper.Map(sourceDisabled);

        /// <summary>
        /// A 400 naming a plan dependency that was not known yet (learnt now, as all-of when the refused swap had one of
        /// the named plans enabled); a known one would fail the same way again.
        /// </summary>
        private bool IsNewDependency(WriteOutcome outcome, CompoundPlanMapping refused) =>
            outcome.Status == 400
            && PlanDependencies.TryParse(outcome.ErrorMessage, out var plan, out var requires)
            && _mapper.LearnFromRefusal(plan, requires, refused);

        private IReadOnlyList<Guid> SourceDisabledPlans(GroupLicenses group) =>
            group.AssignedLicenses.FirstOrDefault(a => a.SkuId == _source.SkuId)?.DisabledPlans ?? Array.Empty<Guid>();

        /// <summary>Counts and reports a group's final result, and the phase's progress.</summary>
        private void Finish(GroupSwapOutcome result, string label)
        {
            switch (result.Status)
            {
                case GroupUpgradeStatus.Swapped:
                case GroupUpgradeStatus.SwappedWithErrors:
                    _summary.GroupsSwapped++;
                    break;
                case GroupUpgradeStatus.Failed:
                    _summary.GroupsFailed++;
                    _reporter.Warning($"Group {result.DisplayName} ({result.GroupId}): {result.Message}");
                    break;
                case GroupUpgradeStatus.TimedOut:
                    _summary.GroupsTimedOut++;
                    _reporter.Warning($"Group {result.DisplayName} ({result.GroupId}): {result.Message}");
                    break;
            }

            _reporter.GroupResult(result);
            _reporter.PhaseProgress(UpgradePhase.GroupAssignments, ++_done, _total, label);
        }
    }
}
