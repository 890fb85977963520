using System;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>
    /// Plans whose servicePlanInfo.appliesTo is "Company" (Graph's subscribedSku resource; Microsoft's own GET /subscribedSkus
    /// example shows ADALLOM_S_O365 so inside ENTERPRISEPREMIUM): they serve the tenant, not a user, so a user's
    /// disabledPlans never names one, and a move neither maps nor misses them.
    /// </summary>
    internal static class CompanyPlans
    {
        public static bool AppliesToCompany(ServicePlan plan) => string.Equals(plan.AppliesTo, "Company", StringComparison.OrdinalIgnoreCase);
    }
}
