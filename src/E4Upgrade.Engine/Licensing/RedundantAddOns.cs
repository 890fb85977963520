using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>
    /// Add-on SKUs the target makes redundant: every plan of the add-on is a plan of the target (Audio Conferencing
    /// MCOMEETADV or Teams Phone MCOEV beside E5). The admin center's upgrade removes them ("if you have any add-on
    /// subscriptions that are included in the subscription that you're upgrading to, we'll remove them", doc section 7).
    /// An add-on is never redundant for a user who would have one of its plans disabled in the target: removing it would
    /// take a service away.
    /// </summary>
    public sealed class RedundantAddOns
    {
        private readonly IReadOnlyList<SkuInfo> _candidates;

        public RedundantAddOns(IReadOnlyList<SkuInfo> tenantSkus, SkuInfo source, CompoundTarget target)
        {
            var targetPlans = new HashSet<Guid>(target.Plans.Select(p => p.ServicePlanId));
            _candidates = (tenantSkus ?? Array.Empty<SkuInfo>())
                .Where(s => s.SkuId != source.SkuId && !target.Contains(s.SkuId))
                .Where(s => s.ServicePlans.Count > 0 && s.ServicePlans.All(p => targetPlans.Contains(p.ServicePlanId)))
                .ToList();
        }

        /// <summary>Tenant SKUs whose every plan the target includes.</summary>
        public IReadOnlyList<SkuInfo> Candidates => _candidates;

        /// <summary>
        /// The redundant add-ons a user holds directly (<paramref name="removable"/>) and those kept because one of their
        /// plans is disabled in the target for this user (<paramref name="kept"/>).
        /// </summary>
        public void For(UserLicenses user, CompoundPlanMapping mapping, out IReadOnlyList<SkuInfo> removable, out IReadOnlyList<SkuInfo> kept)
        {
            var remove = new List<SkuInfo>();
            var keep = new List<SkuInfo>();
            if (_candidates.Count > 0)
            {
                var disabledInTarget = new HashSet<Guid>(mapping.Adds.SelectMany(a => a.DisabledPlans));
                foreach (var sku in _candidates)
                {
                    if (!HoldsDirectly(user, sku.SkuId))
                    {
                        continue;
                    }

                    (sku.ServicePlans.Any(p => disabledInTarget.Contains(p.ServicePlanId)) ? keep : remove).Add(sku);
                }
            }

            removable = remove;
            kept = keep;
        }

        private static bool HoldsDirectly(UserLicenses user, Guid skuId)
        {
            var states = user.AssignmentStates.Where(s => s.SkuId == skuId).ToList();
            return states.Count > 0 ? states.Any(s => s.IsDirect) : user.AssignedLicenses.Any(a => a.SkuId == skuId);
        }
    }
}
