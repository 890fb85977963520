using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Moves group-based E4 assignments at the group: one POST /groups/{id}/assignLicense per group that adds every SKU
    /// of the target (a suite and its add-ons) and removes E4 in the same call, then polls the members until each one
    /// holds every target SKU from this group with E4 gone, or shows an error. A 400 naming a plan dependency
    /// the engine did not know is learnt, the group's disabled plans are closed over it, and the swap is sent once more.
    /// The jobs are in Upgrade/Groups: the swaps an earlier run left (<see cref="EarlierGroupSwaps"/>), whether a swap
    /// may be sent and its seats (<see cref="GroupPreflight"/>, <see cref="GroupSeats"/>), its body
    /// (<see cref="GroupSwapPlans"/>), the write (<see cref="GroupSwapSender"/> through <see cref="VerifiedWriter"/>),
    /// the polling of members (<see cref="GroupSwapVerification"/>, each member decided by <see cref="GroupMemberVerifier"/>),
    /// -WhatIf (<see cref="GroupSwapPlanner"/>) and the rows (<see cref="GroupPhaseResults"/>). This class only orders
    /// them: seats promised to swaps an earlier run sent are counted first; swaps are then sent without waiting for Entra
    /// (up to <see cref="UpgradeOptions.GroupSwapsInFlight"/> unverified at once) and verified together, so N groups take
    /// about as long as the slowest.
    /// Why one swap call and not "add target, wait until Active, then remove E4": Microsoft says never to remove the
    /// source before the target is Active, and its current Entra guidance for products without conflicting plans
    /// (every E4 target, doc sections 1 and 9) is the single group swap, which Entra applies to each member together.
    /// The older batch-by-batch migration between two groups needs a second group and membership changes, which
    /// this tool does not own.
    /// </summary>
    internal sealed class GroupSwapPhase
    {
        private readonly ILicensingGateway _gateway;
        private readonly UpgradeOptions _options;
        private readonly IUpgradeReporter _reporter;
        private readonly UpgradeJournal? _journal;
        private readonly SkuInfo _source;
        private readonly CompoundTarget _target;
        private readonly UpgradeSummary _summary;
        private readonly GroupPreflight _preflight;
        private readonly GroupSwapPlans _plans;
        private readonly GroupPhaseResults _results;
        private readonly GroupSwapSender _sender;
        private readonly GroupSwapVerification _verification;
        private readonly GroupSwapPlanner _planner;

        /// <param name="replicationLag">How long a read may still show a state from before a write (MoveEngineSettings.ReplicationLag).</param>
        public GroupSwapPhase(ILicensingGateway gateway, IClock clock, UpgradeOptions options, IUpgradeReporter reporter, UpgradeJournal? journal,
            SkuInfo source, CompoundTarget target, CompoundPlanMapper mapper, UpgradeSummary summary, TimeSpan replicationLag)
        {
            _gateway = gateway;
            _options = options;
            _reporter = reporter;
            _journal = journal;
            _source = source;
            _target = target;
            _summary = summary;
            _preflight = new GroupPreflight(source, target,
                options.AcceptedFindings.Contains(FindingCodes.GroupMemberConflicts, StringComparer.OrdinalIgnoreCase), reporter.Warning);
            _plans = new GroupSwapPlans(source, mapper, options.DisabledPlans);
            _results = new GroupPhaseResults(reporter, summary);
            _sender = new GroupSwapSender(gateway, clock, replicationLag, options.GroupWriteAttempts, source, target, _plans, summary, reporter.Verbose);
            _verification = new GroupSwapVerification(gateway, clock, options, reporter, journal, source, target, summary, replicationLag, _results);
            _planner = new GroupSwapPlanner(gateway, _preflight, _plans, _results, reporter, summary, source, target);
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

            _results.Total = groups.Count + unverified.Count;
            _summary.Groups = _results.Total;
            _reporter.PhaseStarted(UpgradePhase.GroupAssignments, $"Moving {_results.Total} groups that assign {_source.SkuPartNumber} to {_target.PartNumbers}", _results.Total);

            // The members of swaps sent earlier are listed before subscribedSkus is read: a member Entra processes in
            // between is then counted twice (safe), never missed.
            var earlier = _options.PlanOnly
                ? Array.Empty<EarlierGroupSwap>()
                : await EarlierGroupSwaps.ReadAsync(_gateway, unverified, _target, listUnlanded: true, cancellationToken).ConfigureAwait(false);
            foreach (var gone in earlier.Where(e => e.Group == null))
            {
                ReportGone(gone);
            }

            // Read again (the direct phase has used seats since the plan's read), and only when there is a group to send or verify.
            var skus = _results.Total == 0
                ? (IReadOnlyList<SkuInfo>)Array.Empty<SkuInfo>()
                : await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
            var seats = new GroupSeats(GroupSeatsAvailable.Of(_target, skus, _summary.Moved));
            foreach (var swap in earlier.Where(e => e.Group != null))
            {
                seats.Promise(swap.Group!.Id, swap.Need!);
                _reporter.Verbose($"Group {swap.Group.Label} was swapped by an earlier run; verifying its members.");
                _verification.Start(swap.Group, _plans.NewOutcomeOfEarlierSwap(swap.Group));
            }

            var listings = new GroupMemberListings(_gateway, groups, cancellationToken);
            try
            {
                await SendAllAsync(groups, listings, skus, seats, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                listings.Abandon();
            }

            while (_verification.InFlight > 0)
            {
                await _verification.RoundAsync(cancellationToken).ConfigureAwait(false);
            }

            _reporter.PhaseCompleted(UpgradePhase.GroupAssignments,
                $"{_summary.GroupsSwapped} groups swapped, {_summary.GroupsFailed} failed, {_summary.GroupsTimedOut} still processing; " +
                $"members: {_summary.GroupMembersMoved} moved, {_summary.GroupMembersFailed} with errors, {_summary.GroupMembersPending} pending.");
        }

        private async Task SendAllAsync(List<GroupLicenses> groups, GroupMemberListings listings, IReadOnlyList<SkuInfo> skus, GroupSeats seats, CancellationToken cancellationToken)
        {
            for (var index = 0; index < groups.Count; index++)
            {
                var group = groups[index];
                cancellationToken.ThrowIfCancellationRequested();
                if (_options.PlanOnly)
                {
                    _results.Finish(await _planner.PlanAsync(group, skus, seats, cancellationToken).ConfigureAwait(false), group.Label);
                    continue;
                }

                while (_verification.InFlight >= Math.Max(1, _options.GroupSwapsInFlight))
                {
                    await _verification.RoundAsync(cancellationToken).ConfigureAwait(false);
                }

                var members = await listings.ForGroupAsync(index).ConfigureAwait(false);
                var (result, sent) = await SwapAsync(group, members, skus, seats, cancellationToken).ConfigureAwait(false);
                if (sent)
                {
                    _verification.Start(group, result);
                }
                else
                {
                    _results.Finish(result, group.Label);
                }
            }
        }

        /// <summary>A group an earlier run swapped and that has been deleted since: nothing left to verify. Recorded, so later runs do not stop on it.</summary>
        private void ReportGone(EarlierGroupSwap gone)
        {
            _reporter.Warning($"Group {gone.Name} ({gone.GroupId}) was swapped by an earlier run and has been deleted since; recorded as gone, its members were not verified.");
            _journal!.WriteGroupVerified(gone.GroupId, gone.Name, 0, 0, timedOut: false);
            _results.Finish(new GroupSwapOutcome
            {
                GroupId = gone.GroupId,
                DisplayName = gone.Name,
                Status = GroupUpgradeStatus.Gone,
                Message = "The group was deleted after an earlier run swapped it; its members were not verified.",
            }, gone.Name);
        }

        /// <summary>Checks the group, promises its seats and sends its swap; Sent when Entra now has to process the members.</summary>
        private async Task<(GroupSwapOutcome Result, bool Sent)> SwapAsync(GroupLicenses group, List<UserLicenses> members, IReadOnlyList<SkuInfo> skus, GroupSeats seats, CancellationToken cancellationToken)
        {
            var result = _plans.NewOutcome(group);
            var name = group.Label;
            var mapping = _plans.MappingFor(group);
            var refusal = _preflight.Check(group, members, skus, _plans.Change(mapping), seats);
            if (refusal != null)
            {
                return (_results.Refused(group, result, members.Count, refusal), false);
            }

            // The source plans by id, and the targets the group assigned already: what Undo-E4Upgrade gives back (Upgrade/Undo).
            _journal!.WriteGroupSwapSending(group.Id, name, result.DisabledPlansBefore, result.DisabledPlansAfter,
                group.AssignedLicenses.FirstOrDefault(a => a.SkuId == _source.SkuId)?.DisabledPlans ?? Array.Empty<Guid>(),
                group.AssignedLicenses.Where(a => _target.SkuIds.Contains(a.SkuId)).ToDictionary(a => a.SkuId, a => a.DisabledPlans));
            var outcome = await _sender.SendAsync(group, mapping, result, cancellationToken).ConfigureAwait(false);
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
    }
}
