using System.Text.Json;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Tests.Licensing;

/// <summary>SKUs built from Microsoft's catalog (the simulator's copy of shared/data/sku-catalog.json).</summary>
internal static class CatalogSkus
{
    public const string E4 = "ENTERPRISEWITHSCAL";
    public const string O365E3 = "ENTERPRISEPACK";
    public const string O365E5 = "ENTERPRISEPREMIUM";
    public const string M365E3 = "SPE_E3";
    public const string M365E5 = "SPE_E5";

    private static readonly Lazy<IReadOnlyList<SkuInfo>> Catalog = new(Load);

    public static IReadOnlyList<string> Targets { get; } = new[] { O365E3, O365E5, M365E3, M365E5 };

    /// <summary>A fresh copy of the catalog SKU with the given seats (enabled units) and consumed count.</summary>
    public static SkuInfo Get(string partNumber, int enabled = 100_000, int consumed = 0)
    {
        var sku = Catalog.Value.Single(s => s.SkuPartNumber == partNumber);
        return new SkuInfo
        {
            SkuId = sku.SkuId,
            SkuPartNumber = sku.SkuPartNumber,
            CapabilityStatus = "Enabled",
            AppliesTo = "User",
            EnabledUnits = enabled,
            ConsumedUnits = consumed,
            ServicePlans = sku.ServicePlans,
            SubscriptionIds = new[] { Guid.NewGuid().ToString() },
        };
    }

    public static Guid PlanId(string partNumber, string planName) =>
        Get(partNumber).ServicePlans.Single(p => p.ServicePlanName == planName).ServicePlanId;

    private static IReadOnlyList<SkuInfo> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(CatalogPath()));
        return document.RootElement.GetProperty("skus").EnumerateArray().Select(sku => new SkuInfo
        {
            SkuId = sku.GetProperty("skuId").GetGuid(),
            SkuPartNumber = sku.GetProperty("skuPartNumber").GetString()!,
            ServicePlans = sku.GetProperty("servicePlans").EnumerateArray().Select(plan => new ServicePlan
            {
                ServicePlanId = plan.GetProperty("servicePlanId").GetGuid(),
                ServicePlanName = plan.GetProperty("servicePlanName").GetString()!,
                ProvisioningStatus = "Success",
            }).ToList(),
        }).ToList();
    }

    private static string CatalogPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "E4Upgrade.GraphSimulator", "Data", "sku-catalog.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("tests/E4Upgrade.GraphSimulator/Data/sku-catalog.json not found above " + AppContext.BaseDirectory);
    }
}
