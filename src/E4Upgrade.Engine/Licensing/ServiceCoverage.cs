using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>A plan of the source that the target gives no counterpart for.</summary>
    public sealed class LostPlan
    {
        public LostPlan(ServicePlan plan, string? coreService)
        {
            PlanId = plan.ServicePlanId;
            PlanName = plan.ServicePlanName;
            CoreService = coreService;
        }

        public Guid PlanId { get; }
        public string PlanName { get; }
        /// <summary>Exchange, SharePoint/OneDrive, Teams or Office apps; null for any other plan.</summary>
        public string? CoreService { get; }
        public bool IsCore => CoreService != null;
    }

    /// <summary>
    /// Whether each plan of the source lives on in a (compound) target: the same plan id, the same service at an equal
    /// or higher tier (FORMS_PLAN_E3 in FORMS_PLAN_E5), the same core service at an equal or higher level
    /// (EXCHANGE_S_STANDARD does not supply EXCHANGE_S_ENTERPRISE), or a functional equivalent Microsoft names. Driven by
    /// the tenant's own servicePlans, never by a fixed list of SKUs.
    /// </summary>
    public static class ServiceCoverage
    {
        /// <summary>
        /// Microsoft: E4's voice conferencing (MCOVOICECONF) is kept by Office 365 E5, Microsoft 365 E5 and Microsoft 365
        /// E5 without Audio Conferencing, which carry Phone System (MCOEV) and/or Audio Conferencing (MCOMEETADV); the
        /// E3s carry neither ("Important information for Office 365 E4 customers", doc sections 6 and 7).
        /// </summary>
        private static readonly Dictionary<string, string[]> FunctionalEquivalents = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["MCOVOICECONF"] = new[] { "MCOMEETADV", "MCOEV" },
        };

        /// <summary>The source's user plans with no counterpart among <paramref name="targetPlans"/>.</summary>
        public static IReadOnlyList<LostPlan> Lost(SkuInfo source, IEnumerable<ServicePlan> targetPlans)
        {
            var offered = targetPlans.ToList();
            return source.ServicePlans
                .Where(p => !string.Equals(p.AppliesTo, "Company", StringComparison.OrdinalIgnoreCase))
                .Where(p => !offered.Any(candidate => Supplies(p, candidate)))
                .Select(p => new LostPlan(p, CoreServices.ServiceOf(p.ServicePlanName)))
                .ToList();
        }

        /// <summary>True when any plan of <paramref name="sku"/> is a counterpart for <paramref name="plan"/>.</summary>
        public static bool Supplies(SkuInfo sku, LostPlan plan) =>
            sku.ServicePlans.Any(candidate => Supplies(new ServicePlan { ServicePlanId = plan.PlanId, ServicePlanName = plan.PlanName }, candidate));

        private static bool Supplies(ServicePlan wanted, ServicePlan candidate) =>
            candidate.ServicePlanId == wanted.ServicePlanId
            || PlanTier.SameServiceAtLeast(wanted.ServicePlanName, candidate.ServicePlanName)
            || CoreServices.Supplies(wanted.ServicePlanName, candidate.ServicePlanName)
            || (FunctionalEquivalents.TryGetValue(wanted.ServicePlanName, out var equivalents)
                && equivalents.Contains(candidate.ServicePlanName, StringComparer.OrdinalIgnoreCase));
    }
}
