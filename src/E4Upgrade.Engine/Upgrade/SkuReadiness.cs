using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>Reads a SKU's capabilityStatus and service plan provisioning the way the admin center judges "fully set up".</summary>
    internal static class SkuReadiness
    {
        private static readonly string[] NotSetUpStatuses = { "PendingProvisioning", "PendingActivation", "PendingInput" };
        private static readonly string[] BlockingCapabilityStatuses = { "Suspended", "LockedOut", "Deleted" };

        public static bool IsEnabled(SkuInfo sku) =>
            string.Equals(sku.CapabilityStatus, "Enabled", StringComparison.OrdinalIgnoreCase);

        /// <summary>Suspended, LockedOut or Deleted: nothing can be assigned from it.</summary>
        public static bool IsUnusable(SkuInfo sku) =>
            BlockingCapabilityStatuses.Any(s => string.Equals(s, sku.CapabilityStatus, StringComparison.OrdinalIgnoreCase));

        public static IReadOnlyList<ServicePlan> PlansNotSetUp(SkuInfo sku) =>
            sku.ServicePlans
                .Where(p => NotSetUpStatuses.Any(s => string.Equals(s, p.ProvisioningStatus, StringComparison.OrdinalIgnoreCase)))
                .ToList();

        public static string DescribePlans(IEnumerable<ServicePlan> plans) =>
            string.Join("; ", plans.Select(p => p.ServicePlanName + " " + p.ProvisioningStatus));
    }
}
