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
    /// holds every target SKU Active from this group with E4 gone, or shows an error. A 400 naming a plan dependency
    /// the engine did not know is learnt, the group's disabled plans are closed over it, and the swap is sent once more.
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
        private GroupMemberConflicts? _conflicts;
        /// <summary>Members of the group being checked who were reported refused (once each, whatever the cause).</summary>
        private readonly HashSet<string> _refusedMembers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

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

            var total = groups.Count + unverified.Count;
            _summary.Groups = total;
            _reporter.PhaseStarted(UpgradePhase.GroupAssignments, $"Moving {total} groups that assign {_source.SkuPartNumber} to {_target.PartNumbers}", total);
            var done = 0;
            foreach (var group in groups)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = _options.PlanOnly
                    ? await PlanAsync(group, cancellationToken).ConfigureAwait(false)
                    : await SwapAsync(group, cancellationToken).ConfigureAwait(false);
                Report(result);
                _reporter.PhaseProgress(UpgradePhase.GroupAssignments, ++done, total, group.Label);
            }

            if (!_options.PlanOnly)
            {
                foreach (var pending in unverified)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var group = await _gateway.GetGroupAsync(pending.Key, cancellationToken).ConfigureAwait(false);
                    if (group == null)
                    {
                        // Deleted since the swap: nothing left to verify. Recorded, so later runs do not stop on it.
                        _reporter.Warning($"Group {pending.Value} ({pending.Key}) was swapped by an earlier run and has been deleted since; recorded as gone, its members were not verified.");
                        _journal!.WriteGroupVerified(pending.Key, pending.Value, 0, 0, timedOut: false);
                        Report(new GroupSwapOutcome
                        {
                            GroupId = pending.Key,
                            DisplayName = pending.Value,
                            Status = GroupUpgradeStatus.Gone,
                            Message = "The group was deleted after an earlier run swapped it; its members were not verified.",
                        });
                        _reporter.PhaseProgress(UpgradePhase.GroupAssignments, ++done, total, pending.Value);
                        continue;
                    }

                    _reporter.Verbose($"Group {group.Label} was swapped by an earlier run; verifying its members.");
                    var result = NewResult(group, Array.Empty<Guid>());
                    await VerifyAsync(group, result, cancellationToken).ConfigureAwait(false);
                    Report(result);
                    _reporter.PhaseProgress(UpgradePhase.GroupAssignments, ++done, total, group.Label);
                }
            }

            _reporter.PhaseCompleted(UpgradePhase.GroupAssignments,
                $"{_summary.GroupsSwapped} groups swapped, {_summary.GroupsFailed} failed, {_summary.GroupsTimedOut} still processing; " +
                $"members: {_summary.GroupMembersMoved} moved, {_summary.GroupMembersFailed} with errors, {_summary.GroupMembersPending} pending.");
        }

        private async Task<GroupSwapOutcome> PlanAsync(GroupLicenses group, CancellationToken cancellationToken)
        {
            var result = NewResult(group, SourceDisabledPlans(group));
            result.Status = GroupUpgradeStatus.WouldSwap;
            var members = new List<UserLicenses>();
            await foreach (var member in _gateway.ListGroupMembersAsync(group.Id, cancellationToken).ConfigureAwait(false))
            {
                members.Add(member);
            }

            // The plan shows the refusal the real run would make for members Graph would refuse the target.
            _refusedMembers.Clear();
            var skus = await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
            var refusal = MemberConflicts(group, members, skus, new LicenseChange(PlanMapping(SourceDisabledPlans(group)).Adds, new[] { _source.SkuId }));
            if (refusal != null)
            {
                result.Status = GroupUpgradeStatus.Failed;
                result.Message = refusal;
                result.Members = members.Count;
                result.MembersFailed = _refusedMembers.Count;
                return result;
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

        private async Task<GroupSwapOutcome> SwapAsync(GroupLicenses group, CancellationToken cancellationToken)
        {
            var result = NewResult(group, SourceDisabledPlans(group));
            var name = group.Label;
            var mapping = PlanMapping(SourceDisabledPlans(group));
            var change = new LicenseChange(mapping.Adds, new[] { _source.SkuId });

            _refusedMembers.Clear();
            var skus = await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
            var members = new List<UserLicenses>();
            await foreach (var member in _gateway.ListGroupMembersAsync(group.Id, cancellationToken).ConfigureAwait(false))
            {
                members.Add(member);
            }

            var refusal = SeatShortage(group, members, skus) ?? MemberConflicts(group, members, skus, change);
            if (refusal != null)
            {
                result.Status = GroupUpgradeStatus.Failed;
                result.Message = refusal;
                result.Members = members.Count;
                result.MembersFailed = members.Count(m => _refusedMembers.Contains(m.Id));
                return result;
            }

            _journal!.WriteGroupSwapSending(group.Id, name, result.DisabledPlansBefore, result.DisabledPlansAfter);
            var outcome = await SendWithRetryAsync(group.Id, change, cancellationToken).ConfigureAwait(false);
            if (IsNewDependency(outcome, mapping))
            {
                // Graph named a dependency the engine did not know: close the group's plans over it and send once more.
                var adjusted = PlanMapping(SourceDisabledPlans(group));
                Describe(result, adjusted);
                _reporter.Verbose($"Group {name}: Graph refused a plan whose base is disabled ({outcome.ErrorMessage}); retrying once with {string.Join(", ", adjusted.AdjustedPlans)}.");
                outcome = await SendWithRetryAsync(group.Id, new LicenseChange(adjusted.Adds, new[] { _source.SkuId }), cancellationToken).ConfigureAwait(false);
            }

            _journal.WriteGroupSwapSent(group.Id, name, outcome.Succeeded, outcome.Succeeded ? null : outcome.ErrorMessage);
            if (!outcome.Succeeded)
            {
                result.Status = GroupUpgradeStatus.Failed;
                result.Message = $"assignLicense on the group failed: HTTP {outcome.Status} {outcome.ErrorCode} {outcome.ErrorMessage}".TrimEnd();
                return result;
            }

            _reporter.Verbose($"Group {name}: swap sent ({_source.SkuPartNumber} -> {_target.PartNumbers}); waiting for Entra to process the members.");
            await VerifyAsync(group, result, cancellationToken).ConfigureAwait(false);
            return result;
        }

        /// <summary>
        /// Null when the target has a free seat for every member who lacks it. Otherwise the swap must not be sent: group
        /// licensing removes the source from every member even where it cannot assign the target, which would leave
        /// those members without any license. So a short group is refused whole, even with InsufficientTargetSeats accepted.
        /// </summary>
        private string? SeatShortage(GroupLicenses group, IReadOnlyList<UserLicenses> members, IReadOnlyList<SkuInfo> skus)
        {
            var needSeat = _target.Skus.ToDictionary(t => t.SkuId, t => members.Where(m => !LicenseHolding.Of(m, t.SkuId).Held).ToList());
            var shortSkus = _target.Skus
                .Select(t => (Sku: t, Need: needSeat[t.SkuId], Free: skus.FirstOrDefault(s => s.SkuId == t.SkuId)?.AvailableUnits ?? 0))
                .Where(t => t.Need.Count > t.Free)
                .ToList();
            if (shortSkus.Count == 0)
            {
                return null;
            }

            var message = "Not swapped: " + string.Join("; ", shortSkus.Select(t => $"{t.Need.Count} members need a {t.Sku.SkuPartNumber} seat and only {t.Free} are free")) + ". " +
                $"A group swap removes {_source.SkuPartNumber} from every member even where it cannot assign {_target.PartNumbers}, " +
                "which would leave members without a license. Add seats and run the same command again.";
            foreach (var member in shortSkus.SelectMany(t => t.Need).GroupBy(m => m.Id).Select(g => g.First()))
            {
                RefuseMember(group, member, ErrorIds.InsufficientLicenses, message);
            }

            return message;
        }

        /// <summary>
        /// Null when no member is predicted to be refused the target (<see cref="GroupMemberConflicts"/>), or when the
        /// admin accepted <see cref="FindingCodes.GroupMemberConflicts"/>. Otherwise the group is refused, as for seats:
        /// the swap would remove E4 from those members and leave them with neither license. Each is reported with the
        /// error Graph would give and its reason.
        /// </summary>
        private string? MemberConflicts(GroupLicenses group, IReadOnlyList<UserLicenses> members, IReadOnlyList<SkuInfo> skus, LicenseChange change)
        {
            _conflicts ??= new GroupMemberConflicts(skus, _source.SkuId, _target);
            foreach (var member in members)
            {
                _conflicts.Learn(member);
            }

            var conflicted = members.Select(m => (Member: m, Conflict: _conflicts.Predict(m, change.Add))).Where(c => c.Conflict != null).ToList();
            if (conflicted.Count == 0)
            {
                return null;
            }

            var kinds = string.Join(", ", conflicted.Select(c => c.Conflict!.Error).Distinct());
            if (_options.AcceptedFindings.Contains(FindingCodes.GroupMemberConflicts, StringComparer.OrdinalIgnoreCase))
            {
                _reporter.Warning($"Group {group.Label}: [{FindingCodes.GroupMemberConflicts}] accepted: {conflicted.Count} members are expected to get {kinds} and lose {_source.SkuPartNumber} without {_target.PartNumbers}.");
                return null;
            }

            var message = $"Not swapped: {conflicted.Count} members would get {kinds} for {_target.PartNumbers} " +
                $"(for example {conflicted[0].Member.Label}: {conflicted[0].Conflict!.Explanation}). A group swap removes {_source.SkuPartNumber} " +
                "from every member at once, so they would be left with neither license. Resolve their other licenses (each member's result names the cause), " +
                $"or accept it with -AcceptFinding {FindingCodes.GroupMemberConflicts}, and run the same command again.";
            foreach (var (member, conflict) in conflicted)
            {
                RefuseMember(group, member, LicenseStateErrors.ToErrorId(conflict!.Error),
                    $"Group {group.Label} not swapped: {_target.PartNumbers} would be refused with {conflict.Error}: {conflict.Explanation}.");
            }

            return message;
        }

        private void RefuseMember(GroupLicenses group, UserLicenses member, string reason, string message)
        {
            if (!_refusedMembers.Add(member.Id))
            {
                return;
            }

            _summary.GroupMembersFailed++;
            _reporter.UserResult(MemberResult(group, member, MoveStatus.Failed, reason, message));
        }

        private async Task<WriteOutcome> SendWithRetryAsync(string groupId, LicenseChange change, CancellationToken cancellationToken)
        {
            WriteOutcome outcome = new WriteOutcome();
            var attempts = Math.Max(1, _options.GroupWriteAttempts);
            for (var attempt = 1; attempt <= attempts; attempt++)
            {
                outcome = await _gateway.AssignGroupLicenseAsync(groupId, change, cancellationToken).ConfigureAwait(false);
                if (outcome.Status == 429)
                {
                    _summary.Throttled++;
                }

                if (attempt > 1 && outcome.Status == 400)
                {
                    // A re-sent swap that had landed after all is refused ("Group does not have a corresponding license"):
                    // read the group again once the lag has passed before calling it failed.
                    await _clock.DelayAsync(_replicationLag, cancellationToken).ConfigureAwait(false);
                    if (await LandedAsync(groupId, cancellationToken).ConfigureAwait(false))
                    {
                        _reporter.Verbose($"Group {groupId}: the re-sent swap was refused because the first one had landed.");
                        return new WriteOutcome { RequestId = outcome.RequestId, Status = 200 };
                    }
                }

                if (outcome.Succeeded || !RetryClassifier.IsRetryable(outcome.Status) || attempt == attempts)
                {
                    break;
                }

                // Before the re-read below, wait out the replication lag too: a read sooner may show the group as it was.
                var wait = Backoff.Slow.After(attempt, outcome.RetryAfter);
                await _clock.DelayAsync(outcome.Status != 429 && wait < _replicationLag ? _replicationLag : wait, cancellationToken).ConfigureAwait(false);
                if (outcome.Status != 429 && await LandedAsync(groupId, cancellationToken).ConfigureAwait(false))
                {
                    // No answer or a 5xx does not say the swap failed: the group already shows it, so it is not sent again.
                    _reporter.Verbose($"Group {groupId}: the swap whose answer was lost had landed; not sent again.");
                    return new WriteOutcome { RequestId = outcome.RequestId, Status = 200 };
                }
            }

            return outcome;
        }

        /// <summary>Re-reads the group: it assigns every target SKU and no longer E4, so an earlier swap landed.</summary>
        private async Task<bool> LandedAsync(string groupId, CancellationToken cancellationToken)
        {
            var group = await _gateway.GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
            return group != null
                && _target.SkuIds.All(t => group.AssignedLicenses.Any(a => a.SkuId == t))
                && group.AssignedLicenses.All(a => a.SkuId != _source.SkuId);
        }

        /// <summary>
        /// Polls the members until each is final (target Active from this group and E4 from it gone, or an error) or the
        /// timeout passes, reporting the members moved, failed and pending after every listing. Member lists can be stale
        /// for the replication lag after a write (Microsoft Entra developer blog, "Designing for eventual consistency"), so nothing negative is concluded from one
        /// read: an error counts only when a listing at least the lag after the first one still shows it, and at the
        /// timeout the members are listed once more after the lag before any is reported still pending.
        /// </summary>
        private async Task VerifyAsync(GroupLicenses group, GroupSwapOutcome result, CancellationToken cancellationToken)
        {
            var name = group.Label;
            var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var errorSeenAt = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase);
            var startedAt = _clock.Now;
            TimeSpan? timeout = _options.GroupProcessingTimeout;
            var closing = false;
            while (true)
            {
                var listedAt = _clock.Now;
                var members = 0;
                var pending = new List<UserLicenses>();
                await foreach (var member in _gateway.ListGroupMembersAsync(group.Id, cancellationToken).ConfigureAwait(false))
                {
                    members++;
                    if (reported.Contains(member.Id))
                    {
                        continue;
                    }

                    var final = Evaluate(group, member);
                    if (final == null)
                    {
                        errorSeenAt.Remove(member.Id);
                        pending.Add(member);
                        continue;
                    }

                    if (final.Status == MoveStatus.Failed && !ErrorConfirmed(errorSeenAt, member.Id, listedAt))
                    {
                        pending.Add(member);
                        continue;
                    }

                    reported.Add(member.Id);
                    if (final.Status == MoveStatus.Failed)
                    {
                        result.MembersFailed++;
                        _summary.GroupMembersFailed++;
                    }
                    else
                    {
                        result.MembersMoved++;
                        _summary.GroupMembersMoved++;
                    }

                    _journal?.WriteMemberResult(final);
                    _reporter.UserResult(final);
                }

                result.Members = members;
                timeout ??= GroupProcessingBound.DefaultTimeout(members);
                var finished = pending.Count == 0 || closing;
                ReportProgress(group, result, pending.Count, _clock.Now - startedAt, timeout.Value, finished);
                if (pending.Count == 0)
                {
                    result.Status = result.MembersFailed > 0 ? GroupUpgradeStatus.SwappedWithErrors : GroupUpgradeStatus.Swapped;
                    result.Message = $"{result.MembersMoved} members moved, {result.MembersFailed} with errors.";
                    _journal?.WriteGroupVerified(group.Id, name, members, result.MembersFailed, timedOut: false);
                    return;
                }

                if (closing)
                {
                    result.Status = GroupUpgradeStatus.TimedOut;
                    result.MembersPending = pending.Count;
                    _summary.GroupMembersPending += pending.Count;
                    result.Message = $"{pending.Count} of {members} members were still being processed after {timeout.Value}; run the same command again to verify them.";
                    foreach (var member in pending)
                    {
                        // Not journaled as results: the next run verifies these members again.
                        _reporter.UserResult(MemberResult(group, member, MoveStatus.Failed, ErrorIds.GroupProcessingTimeout,
                            $"Group {name}: {_target.PartNumbers} not yet Active or {_source.SkuPartNumber} not yet removed after {timeout.Value}."));
                    }

                    _journal?.WriteGroupVerified(group.Id, name, members, result.MembersFailed, timedOut: true);
                    return;
                }

                if (_clock.Now - startedAt >= timeout.Value)
                {
                    // One more listing once the lag has passed, so no member is left pending on a stale read.
                    closing = true;
                    await _clock.DelayAsync(_replicationLag, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await _clock.DelayAsync(_options.GroupPollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>An error is confirmed by a listing at least the replication lag after the first one that showed it.</summary>
        private bool ErrorConfirmed(Dictionary<string, TimeSpan> errorSeenAt, string memberId, TimeSpan listedAt)
        {
            if (!errorSeenAt.TryGetValue(memberId, out var firstSeen))
            {
                errorSeenAt[memberId] = listedAt;
                return _replicationLag <= TimeSpan.Zero;
            }

            return listedAt - firstSeen >= _replicationLag;
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

        private MoveResult? Evaluate(GroupLicenses group, UserLicenses member)
        {
            var fromGroup = member.AssignmentStates.Where(s => string.Equals(s.AssignedByGroup, group.Id, StringComparison.OrdinalIgnoreCase)).ToList();
            var targets = _target.Skus.Select(t => (Sku: t, State: fromGroup.FirstOrDefault(s => s.SkuId == t.SkuId))).ToList();
            var sourceStillThere = fromGroup.Any(s => s.SkuId == _source.SkuId);
            var failed = targets.FirstOrDefault(t => t.State != null && t.State.HasError);
            if (failed.State != null)
            {
                return MemberResult(group, member, MoveStatus.Failed, LicenseStateErrors.ToErrorId(failed.State.Error),
                    $"Group {group.Label}: {failed.Sku.SkuPartNumber} is {failed.State.State} with {failed.State.Error} ({LicenseStateErrors.Explain(failed.State.Error)}).");
            }

            if (targets.All(t => t.State != null && string.Equals(t.State.State, "Active", StringComparison.OrdinalIgnoreCase)) && !sourceStillThere)
            {
                return MemberResult(group, member, MoveStatus.Moved, null, null);
            }

            return null;
        }

        private MoveResult MemberResult(GroupLicenses group, UserLicenses member, MoveStatus status, string? reason, string? message) =>
            new MoveResult
            {
                UserId = member.Id,
                UserPrincipalName = member.UserPrincipalName,
                Status = status,
                Reason = reason,
                Message = message,
                GroupId = group.Id,
            };

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

        private void Report(GroupSwapOutcome result)
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
        }
    }
}
