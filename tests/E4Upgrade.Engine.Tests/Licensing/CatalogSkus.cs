using E4Upgrade.Engine.Graph;
using E4Upgrade.GraphSimulator.Licensing;

namespace E4Upgrade.Engine.Tests.Licensing;

/// <summary>
/// SKUs as the Graph simulator's catalog has them (Microsoft's CSV plus the simulator's supplement), so engine tests and
/// the simulator share one list of SKUs and plans.
/// </summary>
internal static class CatalogSkus
{
    public const string E4 = "ENTERPRISEWITHSCAL";
    public const string O365E3 = "ENTERPRISEPACK";
    public const string O365E5 = "ENTERPRISEPREMIUM";
    public const string M365E3 = "SPE_E3";
    public const string M365E5 = "SPE_E5";

    public static IReadOnlyList<string> Targets { get; } = new[] { O365E3, O365E5, M365E3, M365E5 };

    /// <summary>A fresh copy of the catalog SKU with the given seats (enabled units) and consumed count.</summary>
    public static SkuInfo Get(string partNumber, int enabled = 100_000, int consumed = 0, string status = "Enabled", params string[] subscriptionIds)
    {
        var sku = SkuCatalog.Shared.FindByPartNumber(partNumber).Single();
        return new SkuInfo
        {
            SkuId = sku.SkuId!.Value,
            SkuPartNumber = sku.SkuPartNumber,
            CapabilityStatus = status,
            AppliesTo = "User",
            EnabledUnits = enabled,
            ConsumedUnits = consumed,
            ServicePlans = sku.Plans.Select(plan => new ServicePlan { ServicePlanId = plan.Id, ServicePlanName = plan.Name, ProvisioningStatus = "Success", AppliesTo = plan.AppliesTo }).ToList(),
            SubscriptionIds = subscriptionIds.Length > 0 ? subscriptionIds : new[] { Guid.NewGuid().ToString() },
        };
    }

    public static Guid PlanId(string partNumber, string planName) =>
        SkuCatalog.Shared.FindByPartNumber(partNumber).Single().Plans.Single(p => p.Name == planName).Id;
}
