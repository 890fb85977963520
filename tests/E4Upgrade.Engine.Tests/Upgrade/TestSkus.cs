using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Tests.Licensing;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// The upgrade tests' SKUs with the plans the Graph simulator's catalog gives them (<see cref="CatalogSkus"/>: one list
/// of SKUs and plans for every test), and ids for what the catalog lacks (an E4 variant borrowing E4's plans).
/// </summary>
internal static class TestSkus
{
    public static readonly Guid E4Id = CatalogSkus.Get(CatalogSkus.E4).SkuId;
    public static readonly Guid E3Id = CatalogSkus.Get(CatalogSkus.O365E3).SkuId;
    public static readonly Guid E5Id = CatalogSkus.Get(CatalogSkus.O365E5).SkuId;

    /// <summary>ENTERPRISEWITHSCAL_FACULTY: Microsoft lists the skuId, the CSV has no such row.</summary>
    public static readonly Guid FacultyId = new("16732e85-c0e3-438e-a82f-71f39cbe2acb");

    public static readonly (string Name, Guid Id)[] E4Plans =
        CatalogSkus.Get(CatalogSkus.E4).ServicePlans.Select(p => (p.ServicePlanName, p.ServicePlanId)).ToArray();

    public static Guid Plan(string name) => CatalogSkus.PlanId(CatalogSkus.E4, name);

    public static SkuInfo E4(int enabled = 1000, string status = "Enabled", params string[] subscriptionIds) =>
        WithSubscriptions(CatalogSkus.Get(CatalogSkus.E4, enabled, 0, status), subscriptionIds);

    public static SkuInfo E3(int enabled = 1000, string status = "Enabled", params string[] subscriptionIds) =>
        WithSubscriptions(CatalogSkus.Get(CatalogSkus.O365E3, enabled, 0, status), subscriptionIds);

    public static SkuInfo E5(int enabled = 1000, string status = "Enabled", params string[] subscriptionIds) =>
        WithSubscriptions(CatalogSkus.Get(CatalogSkus.O365E5, enabled, 0, status), subscriptionIds);

    /// <summary>
    /// Office 365 E1 as the catalog has it but without its Stream plan: Exchange Plan 1, SharePoint Plan 1 and no
    /// Stream, fewer data services than E4 (a tier lower, and one service missing).
    /// </summary>
    public static SkuInfo E1(int enabled = 1000)
    {
        var sku = WithSubscriptions(CatalogSkus.Get("STANDARDPACK", enabled), Array.Empty<string>());
        sku.ServicePlans = sku.ServicePlans.Where(p => p.ServicePlanName != "STREAM_O365_E1").ToList();
        return sku;
    }

    public static SkuInfo Sku(Guid id, string part, int enabled, string status, (string Name, Guid Id)[] plans, string[]? subscriptionIds = null) => new()
    {
        SkuId = id,
        SkuPartNumber = part,
        CapabilityStatus = status,
        EnabledUnits = enabled,
        ServicePlans = plans.Select(p => new ServicePlan { ServicePlanId = p.Id, ServicePlanName = p.Name, ProvisioningStatus = "Success" }).ToList(),
        SubscriptionIds = subscriptionIds ?? Array.Empty<string>(),
    };

    /// <summary>These tests name a SKU's subscriptions themselves (none unless given), unlike the catalog's one made-up id.</summary>
    private static SkuInfo WithSubscriptions(SkuInfo sku, string[] subscriptionIds)
    {
        sku.SubscriptionIds = subscriptionIds;
        return sku;
    }
}

/// <summary>
/// Today's targets from the catalog (<see cref="CatalogSkus"/>): Microsoft 365 E5 (no Teams), Audio Conferencing and
/// Teams Phone as Microsoft lists them, and Teams Enterprise, which no source gives an id for.
/// </summary>
internal static class TodaysSkus
{
    public const string E5NoTeamsPart = "Microsoft_365_E5_(no_Teams)";
    public static readonly Guid E5NoTeamsId = CatalogSkus.Get(E5NoTeamsPart).SkuId;
    public static readonly Guid TeamsEnterpriseId = new("0c4e2f27-6a0b-4d4b-9b3c-1f2a3b4c5d6e"); // no Microsoft source gives it: made up here
    public static readonly Guid AudioConferencingId = CatalogSkus.Get("MCOMEETADV").SkuId;
    public static readonly Guid TeamsPhoneId = CatalogSkus.Get("MCOEV").SkuId;
    public static readonly Guid Teams1 = CatalogSkus.PlanId(CatalogSkus.M365E5, "TEAMS1");
    public static readonly Guid McoMeetAdv = CatalogSkus.PlanId("MCOMEETADV", "MCOMEETADV");
    public static readonly Guid McoEv = CatalogSkus.PlanId("MCOEV", "MCOEV");
    public static readonly Guid McoStandard = CatalogSkus.PlanId(CatalogSkus.E4, "MCOSTANDARD");

    public static SkuInfo E5NoTeams(int enabled = 1000) => CatalogSkus.Get(E5NoTeamsPart, enabled);

    /// <summary>Teams Enterprise reduced to its Teams plan (the catalog gives it Teams EEA's plans, but no skuId).</summary>
    public static SkuInfo TeamsEnterprise(int enabled = 1000) =>
        TestSkus.Sku(TeamsEnterpriseId, "Microsoft_Teams_Enterprise_New", enabled, "Enabled", new[] { ("TEAMS1", Teams1) });

    public static SkuInfo AudioConferencing(int enabled = 100) => CatalogSkus.Get("MCOMEETADV", enabled);

    public static SkuInfo TeamsPhone(int enabled = 100) => CatalogSkus.Get("MCOEV", enabled);
}
