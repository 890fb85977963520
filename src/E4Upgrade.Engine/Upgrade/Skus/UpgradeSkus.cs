using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// The source and target of an upgrade picked from one read of subscribedSkus, and why they cannot be used when
    /// they cannot (NoE4Subscription, TargetNotFound, TargetSameAsSource, TargetNotForUsers). Eligibility reports these
    /// findings; the run plans only from a usable pair.
    /// </summary>
    internal sealed class UpgradeSkus
    {
        private UpgradeSkus(IReadOnlyList<SkuInfo> skus, SkuInfo? source, CompoundTarget? target, IReadOnlyList<string> targetNames)
        {
            Skus = skus;
            Source = source;
            Target = target;
            TargetNames = targetNames;
        }

        public IReadOnlyList<SkuInfo> Skus { get; }
        public SkuInfo? Source { get; }
        /// <summary>Every named target SKU, resolved; null when one is missing.</summary>
        public CompoundTarget? Target { get; }
        public IReadOnlyList<string> TargetNames { get; }
        /// <summary>Why there is no source, or null.</summary>
        public EligibilityFinding? SourceFinding { get; private set; }
        /// <summary>Why the target cannot be used (missing, the source itself, an E4 variant, not for users), or null.</summary>
        public EligibilityFinding? TargetFinding { get; private set; }
        /// <summary>Both found, and the target can replace the source on users.</summary>
        public bool Usable => Source != null && Target != null && TargetFinding == null;

        public static UpgradeSkus Select(IReadOnlyList<SkuInfo> skus, string? sourceSku, IReadOnlyList<string> targetSkus)
        {
            var source = SkuSelection.SelectSource(skus, sourceSku);
            var names = targetSkus.Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
            var resolved = names.Select(n => (Name: n, Sku: SkuSelection.Find(skus, n))).ToList();
            var missing = resolved.Where(r => r.Sku == null).Select(r => r.Name).ToList();
            var target = missing.Count == 0 && resolved.Count > 0
                ? new CompoundTarget(resolved.Select(r => r.Sku!).GroupBy(s => s.SkuId).Select(g => g.First()).ToList())
                : null;
            var selection = new UpgradeSkus(skus, source, target, names);
            if (source == null)
            {
                selection.SourceFinding = Blocker(FindingCodes.NoE4Subscription,
                    string.IsNullOrWhiteSpace(sourceSku)
                        ? "The tenant has no Office 365 E4 SKU (ENTERPRISEWITHSCAL or a variant); there is nothing to upgrade."
                        : $"The tenant has no SKU '{sourceSku}' to upgrade from.");
            }

            if (target == null)
            {
                selection.TargetFinding = Blocker(FindingCodes.TargetNotFound,
                    (names.Count == 0 ? "No target SKU was given." : $"The tenant has no subscription for the target '{string.Join("', '", missing)}'.") +
                    " Buy it in the same tenant first; a new subscription can take a while to appear (see -WaitForTarget). " +
                    "The tenant's SKUs: " + string.Join(", ", skus.Select(s => s.SkuPartNumber)) + ".");
            }
            else if (source != null && target.Skus.Any(t => t.SkuId == source.SkuId || E4SkuFamily.IsE4(t)))
            {
                var same = target.Skus.First(t => t.SkuId == source.SkuId || E4SkuFamily.IsE4(t));
                selection.TargetFinding = Blocker(FindingCodes.TargetSameAsSource,
                    same.SkuId == source.SkuId
                        ? $"The target {SkuSelection.Describe(same)} is the source SKU itself."
                        : $"The target {SkuSelection.Describe(same)} is itself an Office 365 E4 variant, not an upgrade.");
            }
            else if (source != null && MoveTargetRules.Problem(source, target) is { } problem)
            {
                selection.TargetFinding = Blocker(problem.Code, problem.Message);
            }

            return selection;
        }

        /// <summary>Findings without which nothing can be planned: the run stops on them even in plan mode.</summary>
        public static bool IsFatal(string code) =>
            code == FindingCodes.NoE4Subscription || code == FindingCodes.TargetNotFound || code == FindingCodes.TargetSameAsSource || code == FindingCodes.TargetNotForUsers;

        private static EligibilityFinding Blocker(string code, string message) =>
            new EligibilityFinding { Code = code, Severity = FindingSeverity.Blocker, Message = message };
    }
}
