using System.Collections.Generic;

namespace E4Upgrade.Engine.Moves
{
    public sealed class MoveOptions
    {
        /// <summary>Source SKU: GUID or skuPartNumber.</summary>
        public string FromSku { get; set; } = "";
        /// <summary>Target SKU: GUID or skuPartNumber.</summary>
        public string ToSku { get; set; } = "";
        /// <summary>When set, replaces the mapped disabled plans: plan names or ids of the target SKU.</summary>
        public IReadOnlyList<string>? DisabledPlans { get; set; }
        /// <summary>When set, users without a usage location get this one (PATCH) before the assignment.</summary>
        public string? UsageLocation { get; set; }
        /// <summary>Read and decide, write nothing.</summary>
        public bool PlanOnly { get; set; }
    }
}
