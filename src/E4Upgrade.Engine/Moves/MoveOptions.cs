using System.Collections.Generic;

namespace E4Upgrade.Engine.Moves
{
    public sealed class MoveOptions
    {
        /// <summary>Source SKU: GUID or skuPartNumber.</summary>
        public string FromSku { get; set; } = "";
        /// <summary>The target: one SKU, or a suite and its add-ons (GUIDs or skuPartNumbers), the suite first.</summary>
        public IReadOnlyList<string> ToSkus { get; set; } = System.Array.Empty<string>();

        /// <summary>A single-SKU target (sets <see cref="ToSkus"/>).</summary>
        public string ToSku
        {
            get => string.Join(" + ", ToSkus);
            set => ToSkus = new[] { value };
        }

        /// <summary>Also remove, in the same call, add-ons whose every plan the target includes (never one with a plan disabled in the target for the user).</summary>
        public bool RemoveRedundantAddOns { get; set; }
        /// <summary>When set, replaces the mapped disabled plans: plan names or ids of the target SKU.</summary>
        public IReadOnlyList<string>? DisabledPlans { get; set; }
        /// <summary>When set, users without a usage location get this one (PATCH) before the assignment.</summary>
        public string? UsageLocation { get; set; }
        /// <summary>Read and decide, write nothing.</summary>
        public bool PlanOnly { get; set; }
    }
}
