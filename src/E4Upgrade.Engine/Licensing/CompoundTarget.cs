using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>
    /// What users move to: a suite and zero or more add-ons (e.g. Microsoft_365_E5_(no_Teams) +
    /// Microsoft_Teams_Enterprise_New), all added in the one assignLicense that removes the source.
    /// </summary>
    public sealed class CompoundTarget
    {
        public CompoundTarget(IReadOnlyList<SkuInfo> skus)
        {
            if (skus == null || skus.Count == 0)
            {
                throw new ArgumentException("A compound target needs at least one SKU.", nameof(skus));
            }

            Skus = skus;
        }

        /// <summary>Every SKU of the target, the suite first.</summary>
        public IReadOnlyList<SkuInfo> Skus { get; }

        public SkuInfo Suite => Skus[0];

        public IReadOnlyList<SkuInfo> AddOns => Skus.Skip(1).ToList();

        public IReadOnlyList<Guid> SkuIds => Skus.Select(s => s.SkuId).ToList();

        /// <summary>"SUITE + ADDON", as messages and the summary show the target.</summary>
        public string PartNumbers => string.Join(" + ", Skus.Select(s => s.SkuPartNumber));

        public IEnumerable<ServicePlan> Plans => Skus.SelectMany(s => s.ServicePlans);

        public bool Contains(Guid skuId) => Skus.Any(s => s.SkuId == skuId);

        /// <summary>The same SKUs, whatever their order: a journal started for one compound target resumes only for it.</summary>
        public bool SameSkusAs(IEnumerable<Guid> skuIds) =>
            new HashSet<Guid>(SkuIds).SetEquals(skuIds ?? Array.Empty<Guid>());

        public override string ToString() => PartNumbers;
    }
}
