using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// -WhatIf for a group: the row its swap would get and a WouldMove row per member, or the refusal the real run would
    /// make (seats counted as the real run promises them, by <see cref="GroupPreflight"/>). Sends nothing.
    /// </summary>
    internal sealed class GroupSwapPlanner
    {
        private readonly ILicensingGateway _gateway;
        private readonly GroupPreflight _preflight;
        private readonly GroupSwapPlans _plans;
        private readonly GroupPhaseResults _results;
        private readonly IUpgradeReporter _reporter;
        private readonly UpgradeSummary _summary;
        private readonly SkuInfo _source;
        private readonly CompoundTarget _target;

        public GroupSwapPlanner(ILicensingGateway gateway, GroupPreflight preflight, GroupSwapPlans plans, GroupPhaseResults results, IUpgradeReporter reporter,
            UpgradeSummary summary, SkuInfo source, CompoundTarget target)
        {
            _gateway = gateway;
            _preflight = preflight;
            _plans = plans;
            _results = results;
            _reporter = reporter;
            _summary = summary;
            _source = source;
            _target = target;
        }

        public async Task<GroupSwapOutcome> PlanAsync(GroupLicenses group, IReadOnlyList<SkuInfo> skus, GroupSeats seats, CancellationToken cancellationToken)
        {
            var result = _plans.NewOutcome(group);
            result.Status = GroupUpgradeStatus.WouldSwap;
            var members = await GroupMemberListings.ReadAsync(_gateway, group.Id, cancellationToken).ConfigureAwait(false);

            var refusal = _preflight.Check(group, members, skus, _plans.Change(_plans.MappingFor(group)), seats);
            if (refusal != null)
            {
                return _results.Refused(group, result, members.Count, refusal);
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
    }
}
