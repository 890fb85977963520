using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Reads a SKU's capabilityStatus and service plan provisioning the way the admin center does (doc section 10,
    /// "Provisioning status is not readiness"): only PendingProvisioning of a core service (Exchange, SharePoint,
    /// Teams, Office apps) means the subscription is not set up yet. PendingActivation and PendingInput are features
    /// an admin turns on (INTUNE_O365 stays PendingActivation in most real tenants); they never hold an upgrade back.
    /// </summary>
    internal static class SkuReadiness
    {
        private const string PendingProvisioning = "PendingProvisioning";
        private static readonly string[] NeedAdminStatuses = { "PendingActivation", "PendingInput" };
        private static readonly string[] BlockingCapabilityStatuses = { "Suspended", "LockedOut", "Deleted" };

        public static bool IsEnabled(SkuInfo sku) =>
            string.Equals(sku.CapabilityStatus, "Enabled", StringComparison.OrdinalIgnoreCase);

        /// <summary>Warning: expired and in its grace period; its licenses still work and can be assigned.</summary>
        public static bool IsInGracePeriod(SkuInfo sku) =>
            string.Equals(sku.CapabilityStatus, "Warning", StringComparison.OrdinalIgnoreCase);

        /// <summary>Suspended, LockedOut or Deleted: nothing can be assigned from it.</summary>
        public static bool IsUnusable(SkuInfo sku) =>
            BlockingCapabilityStatuses.Any(s => string.Equals(s, sku.CapabilityStatus, StringComparison.OrdinalIgnoreCase));

        /// <summary>Core services still being set up: the target is not ready.</summary>
        public static IReadOnlyList<ServicePlan> CorePlansProvisioning(SkuInfo sku) =>
            sku.ServicePlans.Where(p => IsStatus(p, PendingProvisioning) && CoreServices.IsCore(p.ServicePlanName)).ToList();

        /// <summary>Other plans still being set up: users get them when provisioning finishes.</summary>
        public static IReadOnlyList<ServicePlan> OtherPlansProvisioning(SkuInfo sku) =>
            sku.ServicePlans.Where(p => IsStatus(p, PendingProvisioning) && !CoreServices.IsCore(p.ServicePlanName)).ToList();

        /// <summary>PendingActivation / PendingInput: an admin activates these; they never block.</summary>
        public static IReadOnlyList<ServicePlan> PlansNeedingActivation(SkuInfo sku) =>
            sku.ServicePlans.Where(p => NeedAdminStatuses.Any(s => IsStatus(p, s))).ToList();

        /// <summary>Plans not in Success for any reason (for the subscription listing).</summary>
        public static IReadOnlyList<ServicePlan> PlansNotSetUp(SkuInfo sku) =>
            sku.ServicePlans.Where(p => IsStatus(p, PendingProvisioning) || NeedAdminStatuses.Any(s => IsStatus(p, s))).ToList();

        /// <summary>Assignable now: Enabled or in its grace period, and no core service still provisioning.</summary>
        public static bool IsReady(SkuInfo sku) =>
            (IsEnabled(sku) || IsInGracePeriod(sku)) && CorePlansProvisioning(sku).Count == 0;

        /// <summary>Why the SKU is not ready, empty when it is.</summary>
        public static IReadOnlyList<string> Problems(SkuInfo sku)
        {
            var problems = new List<string>();
            if (!IsEnabled(sku) && !IsInGracePeriod(sku))
            {
                problems.Add("status " + (string.IsNullOrEmpty(sku.CapabilityStatus) ? "unknown" : sku.CapabilityStatus));
            }

            var pending = CorePlansProvisioning(sku);
            if (pending.Count > 0)
            {
                problems.Add("core services still provisioning: " + DescribePlans(pending));
            }

            return problems;
        }

        public static string DescribePlans(IEnumerable<ServicePlan> plans) =>
            string.Join("; ", plans.Select(p => p.ServicePlanName + " " + p.ProvisioningStatus));

        private static bool IsStatus(ServicePlan plan, string status) =>
            string.Equals(plan.ProvisioningStatus, status, StringComparison.OrdinalIgnoreCase);
    }
}
