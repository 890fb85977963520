using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>Finds SKUs of the tenant by id or part number, and picks the E4 SKU a run works on.</summary>
    internal static class SkuSelection
    {
        public static SkuInfo? Find(IReadOnlyList<SkuInfo> skus, string? guidOrPartNumber) =>
            !string.IsNullOrWhiteSpace(guidOrPartNumber) && new SkuResolver(skus).TryResolve(guidOrPartNumber!, out var sku)
                ? sku
                : null;

        public static IReadOnlyList<SkuInfo> E4SkusIn(IReadOnlyList<SkuInfo> skus) =>
            skus.Where(E4SkuFamily.IsE4).ToList();

        /// <summary>
        /// The named source SKU, or else the tenant's E4 SKU: ENTERPRISEWITHSCAL when present, otherwise the
        /// E4 variant with the most consumed seats. Null when the tenant holds none.
        /// </summary>
        public static SkuInfo? SelectSource(IReadOnlyList<SkuInfo> skus, string? sourceSku)
        {
            if (!string.IsNullOrWhiteSpace(sourceSku))
            {
                return Find(skus, sourceSku);
            }

            var e4 = E4SkusIn(skus);
            return e4.FirstOrDefault(s => string.Equals(s.SkuPartNumber, E4SkuFamily.E4PartNumber, StringComparison.OrdinalIgnoreCase))
                ?? e4.OrderByDescending(s => s.ConsumedUnits).FirstOrDefault();
        }

        /// <summary>companySubscriptions linked to a SKU: by skuId, or named in the SKU's subscriptionIds.</summary>
        public static IReadOnlyList<SubscriptionInfo> LinkedSubscriptions(SkuInfo sku, IReadOnlyList<SubscriptionInfo> subscriptions)
        {
            var ids = new HashSet<string>(sku.SubscriptionIds, StringComparer.OrdinalIgnoreCase);
            return subscriptions
                .Where(s => s.SkuId == sku.SkuId
                    || ids.Contains(s.Id)
                    || (s.CommerceSubscriptionId != null && ids.Contains(s.CommerceSubscriptionId)))
                .ToList();
        }

        /// <summary>
        /// One id per subscription of the SKU: the linked companySubscriptions' ids, plus any id in subscriptionIds that
        /// the directory listing did not return. subscriptionIds carries the commerce id, so it is matched on both keys.
        /// </summary>
        public static IReadOnlyList<string> DistinctSubscriptionIds(SkuInfo sku, IReadOnlyList<SubscriptionInfo> linked)
        {
            var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var subscription in linked)
            {
                known.Add(subscription.Id);
                if (subscription.CommerceSubscriptionId != null)
                {
                    known.Add(subscription.CommerceSubscriptionId);
                }
            }

            return linked.Select(l => l.Id)
                .Concat(sku.SubscriptionIds.Where(id => !known.Contains(id)))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
        }

        public static string Describe(SkuInfo sku) => sku.SkuPartNumber + " (" + sku.SkuId + ")";
    }
}
