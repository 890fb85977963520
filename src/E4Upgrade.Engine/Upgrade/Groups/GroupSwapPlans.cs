using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>What a group's swap changes: its disabled plans on the target, the assignLicense body, and the outcome row that names them.</summary>
    internal sealed class GroupSwapPlans
    {
        private readonly SkuInfo _source;
        private readonly CompoundPlanMapper _mapper;
        private readonly IReadOnlyList<string>? _override;

        /// <param name="disabledPlansOverride">-DisabledPlans: replaces the mapping for every group.</param>
        public GroupSwapPlans(SkuInfo source, CompoundPlanMapper mapper, IReadOnlyList<string>? disabledPlansOverride)
        {
            _source = source;
            _mapper = mapper;
            _override = disabledPlansOverride;
        }

        public CompoundPlanMapper Mapper => _mapper;

        /// <summary>The group's plans on the target, with every dependency known so far.</summary>
        public CompoundPlanMapping MappingFor(GroupLicenses group) => Mapping(SourceDisabledPlans(group));

        /// <summary>The one assignLicense body of a group swap: add every target SKU, remove the source.</summary>
        public LicenseChange Change(CompoundPlanMapping mapping) => new LicenseChange(mapping.Adds, new[] { _source.SkuId });

        /// <summary>A new outcome row for the group, naming its plans before and after.</summary>
        public GroupSwapOutcome NewOutcome(GroupLicenses group) => NewOutcome(group, SourceDisabledPlans(group));

        /// <summary>The row of a group an earlier run swapped: it no longer assigns the source, so its plans before are not known.</summary>
        public GroupSwapOutcome NewOutcomeOfEarlierSwap(GroupLicenses group) => NewOutcome(group, Array.Empty<Guid>());

        public static void Describe(GroupSwapOutcome result, CompoundPlanMapping mapping)
        {
            result.DisabledPlansAfter = mapping.TargetDisabledPlanNames;
            result.DroppedPlans = mapping.DroppedPlanNames;
            result.AdjustedPlans = mapping.AdjustedPlans.Select(a => a.ToString()).ToList();
        }

        private GroupSwapOutcome NewOutcome(GroupLicenses group, IReadOnlyList<Guid> sourceDisabled)
        {
            var result = new GroupSwapOutcome
            {
                GroupId = group.Id,
                DisplayName = group.DisplayName,
                DisabledPlansBefore = _mapper.SourcePlanNames(sourceDisabled),
            };
            Describe(result, Mapping(sourceDisabled));
            return result;
        }

        private CompoundPlanMapping Mapping(IReadOnlyList<Guid> sourceDisabled) =>
            _override != null ? _mapper.Override(_override) : _mapper.Map(sourceDisabled);

        private IReadOnlyList<Guid> SourceDisabledPlans(GroupLicenses group) =>
            group.AssignedLicenses.FirstOrDefault(a => a.SkuId == _source.SkuId)?.DisabledPlans ?? Array.Empty<Guid>();
    }
}
