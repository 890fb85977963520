using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>SKUs with Microsoft's plan ids for the plans that matter (doc section 6); target-only plans get made-up ids.</summary>
internal static class TestSkus
{
    public static readonly Guid E4Id = new("1392051d-0cb9-4b7a-88d5-621fee5e8711");
    public static readonly Guid E3Id = new("6fd2c87f-b296-42f0-b197-1e91e994b900");
    public static readonly Guid E5Id = new("c7df2760-2c81-4ef7-b578-5b5392b571df");
    public static readonly Guid E1Id = new("18181a46-0d4e-45cd-891e-60aabd171b4e");
    public static readonly Guid FacultyId = new("16732e85-c0e3-438e-a82f-71f39cbe2acb");

    public static readonly (string Name, Guid Id)[] E4Plans =
    {
        ("BPOS_S_TODO_2", new Guid("c87f142c-d1e9-4363-8630-aaea9c4d9ae5")),
        ("Deskless", new Guid("8c7d2df8-86f0-4902-b2ed-a0458298f3b3")),
        ("EXCHANGE_S_ENTERPRISE", new Guid("efb87545-963c-4e0d-99df-69c6916d9eb0")),
        ("FLOW_O365_P2", new Guid("76846ad7-7776-4c40-a281-a386362dd1b9")),
        ("FORMS_PLAN_E3", new Guid("2789c901-c14e-48ab-a76a-be334d9d793a")),
        ("MCOSTANDARD", new Guid("0feaeb32-d00e-4d66-bd5a-43b5b83db82c")),
        ("MCOVOICECONF", new Guid("27216c54-caf8-4d0d-97e2-517afb5c08f6")),
        ("OFFICESUBSCRIPTION", new Guid("43de0ff5-c92c-492b-9116-175376d08c38")),
        ("POWERAPPS_O365_P2", new Guid("c68f8d98-5534-41c8-bf36-22fa496fa792")),
        ("PROJECTWORKMANAGEMENT", new Guid("b737dad2-2f6c-4c65-90e3-ca563267e8b9")),
        ("RMS_S_ENTERPRISE", new Guid("bea4c11e-220a-4e6d-8eb8-8ea15d019f90")),
        ("SHAREPOINTENTERPRISE", new Guid("5dbe027f-2339-4123-9542-606e4d348a72")),
        ("SHAREPOINTWAC", new Guid("e95bec33-7c88-4a70-8e19-b10bd9d0c014")),
        ("STREAM_O365_E3", new Guid("9e700747-8b1d-45e5-ab8d-ef187ceec156")),
        ("SWAY", new Guid("a23b959c-7ce8-4e57-9140-b90eb88a9e97")),
        ("TEAMS1", new Guid("57ff2da0-773e-42df-b2af-ffb7a2317929")),
        ("YAMMER_ENTERPRISE", new Guid("7547a3fe-08ee-4ccb-b430-5077c5041653")),
    };

    public static Guid Plan(string name) => E4Plans.First(p => p.Name == name).Id;

    public static SkuInfo E4(int enabled = 1000, string status = "Enabled", params string[] subscriptionIds) =>
        Sku(E4Id, "ENTERPRISEWITHSCAL", enabled, status, E4Plans, subscriptionIds);

    public static SkuInfo E3(int enabled = 1000, string status = "Enabled", params string[] subscriptionIds) =>
        Sku(E3Id, "ENTERPRISEPACK", enabled, status,
            E4Plans.Where(p => p.Name != "MCOVOICECONF")
                .Append(("INTUNE_O365", new Guid("882e1d05-acd1-4ccb-8708-6ee03664b117")))
                .Append(("VIVAENGAGE_CORE", new Guid("a82fbf69-b4d7-49f4-83a6-915b2cf354f4")))
                .ToArray(),
            subscriptionIds);

    public static SkuInfo E5(int enabled = 1000, string status = "Enabled", params string[] subscriptionIds) =>
        Sku(E5Id, "ENTERPRISEPREMIUM", enabled, status,
            E4Plans.Where(p => p.Name is not ("MCOVOICECONF" or "BPOS_S_TODO_2" or "FLOW_O365_P2" or "FORMS_PLAN_E3" or "POWERAPPS_O365_P2" or "STREAM_O365_E3"))
                .Concat(new[]
                {
                    ("BPOS_S_TODO_3", new Guid("3fb82609-8c27-4f7b-bd51-30634711ee67")),
                    ("FLOW_O365_P3", new Guid("07699545-9485-468e-95b6-2fca3738be01")),
                    ("FORMS_PLAN_E5", new Guid("e212cbc7-0961-4c40-9825-01117710dcb1")),
                    ("POWERAPPS_O365_P3", new Guid("9c0dab89-a30c-4117-86e7-97bda240acd2")),
                    ("STREAM_O365_E5", new Guid("6c6042f5-6f01-4d67-b8c1-eb99d36eed3e")),
                    ("MCOEV", new Guid("4828c8ec-dc2e-4779-b502-87ac9ce28ab7")),
                    ("MCOMEETADV", new Guid("3e26ee1f-8a5f-4d52-aee2-b81ce45c8f40")),
                })
                .ToArray(),
            subscriptionIds);

    /// <summary>An E1-like SKU: Exchange Plan 1, SharePoint Plan 1, no Stream: fewer data services than E4.</summary>
    public static SkuInfo E1(int enabled = 1000) =>
        Sku(E1Id, "STANDARDPACK", enabled, "Enabled", new[]
        {
            ("EXCHANGE_S_STANDARD", new Guid("9aaf7827-d63c-4b61-89c3-182f06f82e5c")),
            ("SHAREPOINTSTANDARD", new Guid("c7699d2e-19aa-44de-8edf-1736da088ca1")),
            ("MCOSTANDARD", new Guid("0feaeb32-d00e-4d66-bd5a-43b5b83db82c")),
            ("TEAMS1", new Guid("57ff2da0-773e-42df-b2af-ffb7a2317929")),
            ("YAMMER_ENTERPRISE", new Guid("7547a3fe-08ee-4ccb-b430-5077c5041653")),
        });

    public static SkuInfo Sku(Guid id, string part, int enabled, string status, (string Name, Guid Id)[] plans, string[]? subscriptionIds = null) => new()
    {
        SkuId = id,
        SkuPartNumber = part,
        CapabilityStatus = status,
        EnabledUnits = enabled,
        ServicePlans = plans.Select(p => new ServicePlan { ServicePlanId = p.Id, ServicePlanName = p.Name, ProvisioningStatus = "Success" }).ToList(),
        SubscriptionIds = subscriptionIds ?? Array.Empty<string>(),
    };
}

/// <summary>Today's targets built from the catalog's Microsoft 365 E5: the suite without Teams, Teams Enterprise, and the voice add-ons.</summary>
internal static class TodaysSkus
{
    public static readonly Guid E5NoTeamsId = new("18a4bd3f-0b5b-4887-b04f-61dd0ee15f5e");
    public static readonly Guid TeamsEnterpriseId = new("0c4e2f27-6a0b-4d4b-9b3c-1f2a3b4c5d6e"); // no Microsoft source gives it: made up here
    public static readonly Guid AudioConferencingId = new("0c266dff-15dd-4b49-8397-2bb16070ed52");
    public static readonly Guid TeamsPhoneId = new("e43b5b99-8dfb-405f-9987-dc307f34bcbd");
    public static readonly Guid Teams1 = new("57ff2da0-773e-42df-b2af-ffb7a2317929");
    public static readonly Guid McoMeetAdv = new("3e26ee1f-8a5f-4d52-aee2-b81ce45c8f40");
    public static readonly Guid McoEv = new("4828c8ec-dc2e-4779-b502-87ac9ce28ab7");
    public static readonly Guid McoStandard = new("0feaeb32-d00e-4d66-bd5a-43b5b83db82c");

    public static SkuInfo E5NoTeams(int enabled = 1000)
    {
        var e5 = E4Upgrade.Engine.Tests.Licensing.CatalogSkus.Get(E4Upgrade.Engine.Tests.Licensing.CatalogSkus.M365E5, enabled);
        e5.SkuId = E5NoTeamsId;
        e5.SkuPartNumber = "Microsoft_365_E5_(no_Teams)";
        e5.ServicePlans = e5.ServicePlans.Where(p => p.ServicePlanName != "TEAMS1").ToList();
        return e5;
    }

    public static SkuInfo TeamsEnterprise(int enabled = 1000) =>
        TestSkus.Sku(TeamsEnterpriseId, "Microsoft_Teams_Enterprise_New", enabled, "Enabled", new[] { ("TEAMS1", Teams1) });

    public static SkuInfo AudioConferencing(int enabled = 100) =>
        TestSkus.Sku(AudioConferencingId, "MCOMEETADV", enabled, "Enabled", new[] { ("MCOMEETADV", McoMeetAdv) });

    public static SkuInfo TeamsPhone(int enabled = 100) =>
        TestSkus.Sku(TeamsPhoneId, "MCOEV", enabled, "Enabled", new[] { ("MCOEV", McoEv) });
}
