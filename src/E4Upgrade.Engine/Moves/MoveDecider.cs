using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Decides, from what Graph says a user holds, whether and how the user is moved. No I/O.</summary>
    internal sealed class MoveDecider
    {
        private readonly SkuInfo _source;
        private readonly CompoundTarget _target;
        private readonly CompoundPlanMapper _mapper;
        private readonly IReadOnlyList<string>? _override;
        private readonly RedundantAddOns? _removeAddOns;
        private readonly string? _usageLocation;

        /// <param name="overridePlans">-DisabledPlans: replaces the mapping for every user (checked by the caller).</param>
        /// <param name="removeAddOns">With -RemoveRedundantAddOns: the add-ons the target makes redundant.</param>
        public MoveDecider(SkuInfo source, CompoundTarget target, CompoundPlanMapper mapper, IReadOnlyList<string>? overridePlans, RedundantAddOns? removeAddOns, string? usageLocation)
        {
            _source = source;
            _target = target;
            _mapper = mapper;
            _override = overridePlans;
            _removeAddOns = removeAddOns;
            _usageLocation = usageLocation;
        }

        public SkuInfo Source => _source;
        public CompoundTarget Target => _target;

        /// <summary>Learns the dependency Graph named in refusing the write of <paramref name="refused"/>.</summary>
        public bool LearnFromRefusal(Guid plan, IReadOnlyList<Guid> requires, MoveDecision refused) =>
            _mapper.LearnFromRefusal(plan, requires, refused.Mapping!);

        public MoveDecision Decide(UserLicenses user)
        {
            var source = LicenseHolding.Of(user, _source.SkuId);
            var targets = _target.Skus.Select(t => (Sku: t, Holding: LicenseHolding.Of(user, t.SkuId))).ToList();
            if (!source.Held)
            {
                if (targets.All(t => t.Holding.Held))
                {
                    var result = NewResult(user, MoveStatus.AlreadyMoved, null, $"Already holds {_target.PartNumbers} and not {_source.SkuPartNumber}; nothing to do.");
                    result.DisabledPlansAfter = TargetPlanNames(targets.SelectMany(t => t.Holding.DisabledPlans));
                    return MoveDecision.Report(result);
                }

                return MoveDecision.Report(NewResult(
                    user, MoveStatus.Skipped, ErrorIds.SourceLicenseNotAssigned,
                    $"Holds neither {_source.SkuPartNumber} nor {_target.PartNumbers}."));
            }

            if (!source.Direct)
            {
                var inherited = NewResult(
                    user, MoveStatus.Skipped, ErrorIds.InheritedFromGroup,
                    $"{_source.SkuPartNumber} is inherited from group {source.GroupId}; change the group's licenses instead of the user's.");
                inherited.GroupId = source.GroupId;
                inherited.DisabledPlansBefore = _mapper.SourcePlanNames(source.DisabledPlans);
                return MoveDecision.Report(inherited);
            }

            var heldTargets = targets.Where(t => t.Holding.Direct).ToDictionary(t => t.Sku.SkuId, t => t.Holding.DisabledPlans);
            var mapping = MapPlans(source, heldTargets);
            if (string.IsNullOrWhiteSpace(user.UsageLocation) && _usageLocation == null)
            {
                var failed = NewResult(
                    user, MoveStatus.Failed, ErrorIds.UsageLocationMissing,
                    "The user has no usageLocation, which Graph requires for a license; set one or pass -UsageLocation.");
                Describe(failed, mapping, Array.Empty<SkuInfo>());
                return MoveDecision.Report(failed);
            }

            IReadOnlyList<SkuInfo> removable = Array.Empty<SkuInfo>();
            _removeAddOns?.For(user, mapping, out removable, out _);
            var note = source.GroupId == null
                ? null
                : $"{_source.SkuPartNumber} is also inherited from group {source.GroupId} and stays until the group changes.";
            var seatSkus = LicenseHolding.SeatsNeeded(user, _target.SkuIds);
            return MoveDecision.Write(mapping, seatSkus, removable, needsUsageLocation: string.IsNullOrWhiteSpace(user.UsageLocation), note, heldTargets);
        }

        /// <summary>True when the user holds every target SKU (working, not in an error state) and no longer holds the source directly: the swap took effect.</summary>
        public bool SwapDone(UserLicenses user) =>
            _target.Skus.All(t => LicenseHolding.Of(user, t.SkuId).Held) && !LicenseHolding.Of(user, _source.SkuId).Direct;

        /// <summary>
        /// The one assignLicense body of a swap: add every target SKU (with its disabled plans) and remove the source,
        /// and with -RemoveRedundantAddOns the add-ons the target includes, all together.
        /// </summary>
        public LicenseChange SwapChange(MoveDecision decision) =>
            new LicenseChange(decision.Mapping!.Adds, new[] { _source.SkuId }.Concat(decision.RemovedAddOns.Select(a => a.SkuId)).ToList());

        public MoveResult NewResult(UserLicenses user, MoveStatus status, string? reason, string message) => new MoveResult
        {
            UserId = user.Id,
            UserPrincipalName = user.UserPrincipalName,
            Status = status,
            Reason = reason,
            Message = message,
        };

        public static void Describe(MoveResult result, MoveDecision decision)
        {
            Describe(result, decision.Mapping!, decision.RemovedAddOns);
            result.TargetsHeldBefore = decision.HeldTargets;
        }

        private static void Describe(MoveResult result, CompoundPlanMapping mapping, IReadOnlyList<SkuInfo> removedAddOns)
        {
            result.DisabledPlansBefore = mapping.SourceDisabledPlanNames;
            result.DisabledPlansAfter = mapping.TargetDisabledPlanNames;
            result.DroppedPlans = mapping.DroppedPlanNames;
            result.AdjustedPlans = mapping.AdjustedPlans.Select(a => a.ToString()).ToList();
            result.RemovedAddOns = removedAddOns.Select(a => a.SkuPartNumber).ToList();
        }

        private CompoundPlanMapping MapPlans(LicenseHolding source, IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> heldTargets)
        {
            if (_override != null)
            {
                return _mapper.Override(_override, source.DisabledPlans);
            }

            // Re-sending a target the user already holds directly replaces its disabled plans: merge so no service is lost.
            return heldTargets.Count > 0 ? _mapper.Merge(source.DisabledPlans, heldTargets) : _mapper.Map(source.DisabledPlans);
        }

        private IReadOnlyList<string> TargetPlanNames(IEnumerable<Guid> planIds) =>
            planIds.Select(id => _target.Plans.FirstOrDefault(p => p.ServicePlanId == id)?.ServicePlanName ?? id.ToString()).Distinct().ToList();
    }
}
