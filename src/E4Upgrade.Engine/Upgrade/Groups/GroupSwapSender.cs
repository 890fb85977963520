using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Sends one group's swap through the one verified write (<see cref="VerifiedWriter"/>: an answer lost is read back,
    /// the group showing the swap, before a resend). A 400 naming a plan dependency the engine did not know is learnt,
    /// the group's disabled plans are closed over it, and the swap is sent once more.
    /// </summary>
    internal sealed class GroupSwapSender
    {
        private readonly ILicensingGateway _gateway;
        private readonly IClock _clock;
        private readonly TimeSpan _replicationLag;
        private readonly int _attempts;
        private readonly SkuInfo _source;
        private readonly CompoundTarget _target;
        private readonly GroupSwapPlans _plans;
        private readonly UpgradeSummary _summary;
        private readonly Action<string> _verbose;

        public GroupSwapSender(ILicensingGateway gateway, IClock clock, TimeSpan replicationLag, int attempts, SkuInfo source, CompoundTarget target,
            GroupSwapPlans plans, UpgradeSummary summary, Action<string> verbose)
        {
            _gateway = gateway;
            _clock = clock;
            _replicationLag = replicationLag;
            _attempts = attempts;
            _source = source;
            _target = target;
            _plans = plans;
            _summary = summary;
            _verbose = verbose;
        }

        /// <summary>Sends the swap of <paramref name="mapping"/>; a retry for a new dependency re-describes <paramref name="result"/>.</summary>
        public async Task<WriteOutcome> SendAsync(GroupLicenses group, CompoundPlanMapping mapping, GroupSwapOutcome result, CancellationToken cancellationToken)
        {
            var outcome = await SendOnceAsync(group.Id, _plans.Change(mapping), cancellationToken).ConfigureAwait(false);
            if (IsNewDependency(outcome, mapping))
            {
                // Graph named a dependency the engine did not know: close the group's plans over it and send once more.
                var adjusted = _plans.MappingFor(group);
                GroupSwapPlans.Describe(result, adjusted);
                _verbose($"Group {group.Label}: Graph refused a plan whose base is disabled ({outcome.ErrorMessage}); retrying once with {string.Join(", ", adjusted.AdjustedPlans)}.");
                outcome = await SendOnceAsync(group.Id, _plans.Change(adjusted), cancellationToken).ConfigureAwait(false);
            }

            return outcome;
        }

        private async Task<WriteOutcome> SendOnceAsync(string groupId, LicenseChange change, CancellationToken cancellationToken)
        {
            var writer = new VerifiedWriter(_clock, _replicationLag, _attempts, Backoff.Slow);
            var results = await writer.SendAsync(
                new[] { groupId },
                async (_, ct) => new[] { Keyed(await _gateway.AssignGroupLicenseAsync(groupId, change, ct).ConfigureAwait(false), groupId) },
                async (_, ct) => await LandedAsync(groupId, ct).ConfigureAwait(false) ? new[] { groupId } : Array.Empty<string>(),
                cancellationToken).ConfigureAwait(false);
            _summary.Throttled += writer.Throttled;
            var result = results[groupId];
            if (result.ReadBack)
            {
                _verbose($"Group {groupId}: the swap whose answer was lost (or that was refused when sent again) had landed; not sent again.");
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

        /// <summary>Re-reads the group: it assigns every target SKU and no longer the source, so an earlier swap landed.</summary>
        private async Task<bool> LandedAsync(string groupId, CancellationToken cancellationToken)
        {
            var group = await _gateway.GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
            return group != null && EarlierGroupSwaps.AssignsTheTarget(group, _target) && group.AssignedLicenses.All(a => a.SkuId != _source.SkuId);
        }

        /// <summary>
        /// A 400 naming a plan dependency that was not known yet (learnt now, as all-of when the refused swap had one of
        /// the named plans enabled); a known one would fail the same way again.
        /// </summary>
        private bool IsNewDependency(WriteOutcome outcome, CompoundPlanMapping refused) =>
            outcome.Status == 400
            && PlanDependencies.TryParse(outcome.ErrorMessage, out var plan, out var requires)
            && _plans.Mapper.LearnFromRefusal(plan, requires, refused);
    }
}
