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
    /// The groups whose swaps were sent (now or by an earlier run) while Entra processes their members: polled together,
    /// each member decided by <see cref="GroupMemberVerifier"/>, each group concluded once no member is pending, or at
    /// its timeout (<see cref="GroupProcessingBound"/>) after one more listing past the replication lag.
    /// </summary>
    internal sealed class GroupSwapVerification
    {
        private readonly ILicensingGateway _gateway;
        private readonly IClock _clock;
        private readonly UpgradeOptions _options;
        private readonly IUpgradeReporter _reporter;
        private readonly UpgradeJournal? _journal;
        private readonly SkuInfo _source;
        private readonly CompoundTarget _target;
        private readonly UpgradeSummary _summary;
        private readonly TimeSpan _replicationLag;
        private readonly GroupPhaseResults _results;
        private readonly List<Verifying> _inFlight = new List<Verifying>();

        public GroupSwapVerification(ILicensingGateway gateway, IClock clock, UpgradeOptions options, IUpgradeReporter reporter, UpgradeJournal? journal,
            SkuInfo source, CompoundTarget target, UpgradeSummary summary, TimeSpan replicationLag, GroupPhaseResults results)
        {
            _gateway = gateway;
            _clock = clock;
            _options = options;
            _reporter = reporter;
            _journal = journal;
            _source = source;
            _target = target;
            _summary = summary;
            _replicationLag = replicationLag;
            _results = results;
        }

        /// <summary>Groups sent and not yet concluded.</summary>
        public int InFlight => _inFlight.Count;

        public void Start(GroupLicenses group, GroupSwapOutcome result) =>
            _inFlight.Add(new Verifying(group, result, new GroupMemberVerifier(group.Id, group.Label, _source, _target, _replicationLag), _clock.Now, _options.GroupProcessingTimeout));

        /// <summary>
        /// Lists the members of every group in flight that is due (one past its timeout only once the lag has passed),
        /// concludes the groups that are done, then waits until the next listing is due. Members still pending at a
        /// group's timeout are listed once more after the lag before any is reported still pending.
        /// </summary>
        public async Task RoundAsync(CancellationToken cancellationToken)
        {
            var due = _inFlight.Where(v => !(v.CloseAt is { } closeAt && _clock.Now < closeAt)).ToList();
            for (var start = 0; start < due.Count; start += GroupMemberListings.AtOnce)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // A few groups' members are read at once (their answers are then taken one group at a time), so a round
                // over many groups is not the sum of their listings.
                var listings = await Task.WhenAll(due.Skip(start).Take(GroupMemberListings.AtOnce)
                    .Select(async v => (Verifying: v, ListedAt: _clock.Now, Members: await GroupMemberListings.ReadAsync(_gateway, v.Group.Id, cancellationToken).ConfigureAwait(false))))
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
                _results.Finish(result, group.Label);
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
                _results.Finish(result, group.Label);
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
    }
}
