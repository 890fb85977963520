using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    public sealed class SubscriptionQuery
    {
        /// <summary>Also report these SKUs (GUIDs or part numbers: a suite and its add-ons) with Role Target.</summary>
        public IReadOnlyList<string> TargetSkus { get; set; } = Array.Empty<string>();
        /// <summary>Report every SKU of the tenant, not only E4 (and the target).</summary>
        public bool All { get; set; }
    }

    /// <summary>The data behind Get-E4Subscription: two reads (subscribedSkus, directory/subscriptions).</summary>
    public sealed class SubscriptionInventory
    {
        private readonly ILicensingGateway _gateway;

        public SubscriptionInventory(ILicensingGateway gateway)
        {
            _gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
        }

        /// <summary>
        /// The tenant's E4 SKUs first, then the target, then (with All) the rest. Throws E4UpgradeException
        /// SkuNotFound when a named target is not in the tenant.
        /// </summary>
        public async Task<IReadOnlyList<SubscriptionSummary>> GetAsync(SubscriptionQuery? query, CancellationToken cancellationToken)
        {
            query ??= new SubscriptionQuery();
            var skus = await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
            var subscriptions = await _gateway.GetSubscriptionsAsync(cancellationToken).ConfigureAwait(false);

            var targets = query.TargetSkus.Any(t => !string.IsNullOrWhiteSpace(t))
                ? new SkuResolver(skus).ResolveTarget(query.TargetSkus).Skus
                : Array.Empty<SkuInfo>();

            var result = new List<SubscriptionSummary>();
            foreach (var sku in skus.Where(E4SkuFamily.IsE4))
            {
                result.Add(Summarize(sku, SubscriptionRole.Source, subscriptions));
            }

            foreach (var target in targets.Where(t => !E4SkuFamily.IsE4(t)))
            {
                result.Add(Summarize(target, SubscriptionRole.Target, subscriptions));
            }

            if (query.All)
            {
                foreach (var sku in skus.Where(s => !E4SkuFamily.IsE4(s) && targets.All(t => t.SkuId != s.SkuId)))
                {
                    result.Add(Summarize(sku, SubscriptionRole.Other, subscriptions));
                }
            }

            return result;
        }

        internal static SubscriptionSummary Summarize(SkuInfo sku, SubscriptionRole role, IReadOnlyList<SubscriptionInfo> subscriptions)
        {
            var linkedInfos = SkuSelection.LinkedSubscriptions(sku, subscriptions);
            var linked = linkedInfos
                .Select(s => new LinkedSubscription
                {
                    Id = s.Id,
                    CommerceSubscriptionId = s.CommerceSubscriptionId,
                    Status = s.Status,
                    IsTrial = s.IsTrial,
                    TotalLicenses = s.TotalLicenses,
                    CreatedDateTime = s.CreatedDateTime,
                    NextLifecycleDateTime = s.NextLifecycleDateTime,
                })
                .ToList();

            // subscribedSku.subscriptionIds may name subscriptions the directory listing did not return; keep them visible.
            var ids = SkuSelection.DistinctSubscriptionIds(sku, linkedInfos);

            return new SubscriptionSummary
            {
                Role = role,
                SkuPartNumber = sku.SkuPartNumber,
                SkuId = sku.SkuId,
                Status = sku.CapabilityStatus,
                AppliesTo = sku.AppliesTo,
                Enabled = sku.EnabledUnits,
                Consumed = sku.ConsumedUnits,
                Available = sku.AvailableUnits,
                Suspended = sku.SuspendedUnits,
                Warning = sku.WarningUnits,
                LockedOut = sku.LockedOutUnits,
                SubscriptionCount = ids.Count,
                SubscriptionIds = string.Join("; ", ids),
                SubscriptionStatus = string.Join("; ", linked.Select(l => l.Status).Distinct(StringComparer.OrdinalIgnoreCase)),
                IsTrial = linked.Any(l => l.IsTrial),
                TotalLicenses = linked.Sum(l => l.TotalLicenses),
                NextLifecycleDateTime = linked.Where(l => l.NextLifecycleDateTime.HasValue)
                    .Select(l => l.NextLifecycleDateTime)
                    .OrderBy(d => d)
                    .FirstOrDefault(),
                PendingServicePlans = SkuReadiness.DescribePlans(SkuReadiness.PlansNotSetUp(sku)),
                Subscriptions = linked,
            };
        }
    }
}
