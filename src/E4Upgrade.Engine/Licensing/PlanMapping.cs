using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>The disabled plans to send with the target SKU, and what happened to the source's disabled plans.</summary>
    public sealed class PlanMapping
    {
        public PlanMapping(
            IReadOnlyList<Guid> targetDisabledPlans,
            IReadOnlyList<string> targetDisabledPlanNames,
            IReadOnlyList<string> sourceDisabledPlanNames,
            IReadOnlyList<string> droppedPlanNames)
        {
            TargetDisabledPlans = targetDisabledPlans;
            TargetDisabledPlanNames = targetDisabledPlanNames;
            SourceDisabledPlanNames = sourceDisabledPlanNames;
            DroppedPlanNames = droppedPlanNames;
        }

        /// <summary>Plan ids to send as disabledPlans of the target; every one is a plan of the target SKU.</summary>
        public IReadOnlyList<Guid> TargetDisabledPlans { get; }
        public IReadOnlyList<string> TargetDisabledPlanNames { get; }
        public IReadOnlyList<string> SourceDisabledPlanNames { get; }
        /// <summary>Disabled source plans with no counterpart in the target (e.g. MCOVOICECONF).</summary>
        public IReadOnlyList<string> DroppedPlanNames { get; }
    }
}
