using System;
using System.Collections.Generic;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Decides, from what Graph says a user holds, whether and how the user is moved. No I/O.</summary>
    internal sealed class MoveDecider
    {
        private readonly SkuInfo _source;
        private readonly SkuInfo _target;
        private readonly DisabledPlanMapper _mapper;
        private readonly PlanMapping? _override;
        private readonly string? _usageLocation;

        public MoveDecider(SkuInfo source, SkuInfo target, PlanMapping? overrideMapping, string? usageLocation)
        {
            _source = source;
            _target = target;
            _mapper = new DisabledPlanMapper(source, target);
            _override = overrideMapping;
            _usageLocation = usageLocation;
        }

        public SkuInfo Source => _source;
        public SkuInfo Target => _target;

        public MoveDecision Decide(UserLicenses user)
        {
            var source = LicenseHolding.Of(user, _source.SkuId);
            var target = LicenseHolding.Of(user, _target.SkuId);
            if (!source.Held)
            {
                if (target.Held)
                {
                    var result = NewResult(user, MoveStatus.AlreadyMoved, null, $"Already holds {_target.SkuPartNumber} and not {_source.SkuPartNumber}; nothing to do.");
                    result.DisabledPlansAfter = TargetPlanNames(target.DisabledPlans);
                    return MoveDecision.Report(result);
                }

                return MoveDecision.Report(NewResult(
                    user, MoveStatus.Skipped, ErrorIds.SourceLicenseNotAssigned,
                    $"Holds neither {_source.SkuPartNumber} nor {_target.SkuPartNumber}."));
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

            var mapping = MapPlans(source, target);
            if (string.IsNullOrWhiteSpace(user.UsageLocation) && _usageLocation == null)
            {
                var failed = NewResult(
                    user, MoveStatus.Failed, ErrorIds.UsageLocationMissing,
                    "The user has no usageLocation, which Graph requires for a license; set one or pass -UsageLocation.");
                Describe(failed, mapping);
                return MoveDecision.Report(failed);
            }

            var note = source.GroupId == null
                ? null
                : $"{_source.SkuPartNumber} is also inherited from group {source.GroupId} and stays until the group changes.";
            return MoveDecision.Write(mapping, needsSeat: !target.Held, needsUsageLocation: string.IsNullOrWhiteSpace(user.UsageLocation), note);
        }

        /// <summary>True when the user holds the target (working, not in an error state) and no longer holds the source directly: the swap took effect.</summary>
        public bool SwapDone(UserLicenses user)
        {
            var source = LicenseHolding.Of(user, _source.SkuId);
            var target = LicenseHolding.Of(user, _target.SkuId);
            return target.Held && !source.Direct;
        }

        /// <summary>The one assignLicense body of a swap: add the target (with its disabled plans) and remove the source, together.</summary>
        public LicenseChange SwapChange(PlanMapping mapping) =>
            new LicenseChange(
                new[] { new AssignedSku(_target.SkuId, mapping.TargetDisabledPlans) },
                new[] { _source.SkuId });

        public MoveResult NewResult(UserLicenses user, MoveStatus status, string? reason, string message) => new MoveResult
        {
            UserId = user.Id,
            UserPrincipalName = user.UserPrincipalName,
            Status = status,
            Reason = reason,
            Message = message,
        };

        public static void Describe(MoveResult result, PlanMapping mapping)
        {
            result.DisabledPlansBefore = mapping.SourceDisabledPlanNames;
            result.DisabledPlansAfter = mapping.TargetDisabledPlanNames;
            result.DroppedPlans = mapping.DroppedPlanNames;
        }

        private PlanMapping MapPlans(LicenseHolding source, LicenseHolding target)
        {
            if (_override != null)
            {
                return new PlanMapping(
                    _override.TargetDisabledPlans,
                    _override.TargetDisabledPlanNames,
                    _mapper.SourcePlanNames(source.DisabledPlans),
                    Array.Empty<string>());
            }

            // Re-sending a target the user already holds directly replaces its disabled plans: merge so no service is lost.
            return target.Direct ? _mapper.Merge(source.DisabledPlans, target.DisabledPlans) : _mapper.Map(source.DisabledPlans);
        }

        private IReadOnlyList<string> TargetPlanNames(IReadOnlyList<Guid> planIds)
        {
            var names = new List<string>();
            foreach (var id in planIds)
            {
                var name = id.ToString();
                foreach (var plan in _target.ServicePlans)
                {
                    if (plan.ServicePlanId == id)
                    {
                        name = plan.ServicePlanName;
                        break;
                    }
                }

                names.Add(name);
            }

            return names;
        }
    }
}
