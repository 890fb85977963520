using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// A SKU known by its part number and, where a source gives it, its id. A SKU with no id is matched by part
    /// number only and its id is always read from the tenant.
    /// </summary>
    public sealed class KnownSku
    {
        public KnownSku(string skuPartNumber, Guid? skuId, string productName, string source)
        {
            SkuPartNumber = skuPartNumber;
            SkuId = skuId;
            ProductName = productName;
            Source = source;
        }

        public string SkuPartNumber { get; }
        public Guid? SkuId { get; }
        public string ProductName { get; }
        /// <summary>Where the part number and id come from.</summary>
        public string Source { get; }

        public bool Matches(Guid skuId, string? skuPartNumber) =>
            (SkuId.HasValue && SkuId.Value == skuId) || string.Equals(SkuPartNumber, skuPartNumber, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Office 365 E4 and its variants, the suites users move to, and the add-ons that go with them.</summary>
    public static class E4SkuFamily
    {
        public const string E4PartNumber = "ENTERPRISEWITHSCAL";

        private const string MicrosoftCsv = "Microsoft's \"Product names and service plan identifiers for licensing\" CSV (copy of 2025-12-30)";
        private const string TeamsEduReference = "Microsoft's Teams education SKU reference (MicrosoftDocs/OfficeDocs-SkypeForBusiness, Teams/sku-reference-edu.md)";
        private const string TenantDumps = "not in Microsoft's CSV; seen in public scripts and tenant dumps (no Microsoft source)";

        /// <summary>
        /// E4 variants with a Microsoft source. ENTERPRISEWITHSCALWITHOUTPROPLUS (one community map only) and
        /// ENTERPRISEWITHSCAL_GOV (no id anywhere) are left out: name them with -SourceSku if a tenant holds them.
        /// </summary>
        public static readonly IReadOnlyList<KnownSku> E4Skus = new[]
        {
            new KnownSku("ENTERPRISEWITHSCAL", new Guid("1392051d-0cb9-4b7a-88d5-621fee5e8711"), "Office 365 E4", MicrosoftCsv),
            new KnownSku("ENTERPRISEWITHSCAL_FACULTY", new Guid("16732e85-c0e3-438e-a82f-71f39cbe2acb"), "Office 365 E4 for faculty", TeamsEduReference),
            new KnownSku("ENTERPRISEWITHSCAL_STUDENT", new Guid("05e8cabf-68b5-480f-a930-2143d472d959"), "Office 365 E4 for students", TeamsEduReference),
        };

        /// <summary>
        /// Suites to move to: the five options of "Important information for Office 365 E4 customers" (doc section 7;
        /// option 3 is SPE_E5_NOPSTNCONF, section 10's correction) and the no-Teams suites sold since 2024, which need
        /// a Teams add-on to keep Teams.
        /// </summary>
        public static readonly IReadOnlyList<KnownSku> UpgradeTargets = new[]
        {
            new KnownSku("ENTERPRISEPACK", new Guid("6fd2c87f-b296-42f0-b197-1e91e994b900"), "Office 365 E3", MicrosoftCsv),
            new KnownSku("ENTERPRISEPREMIUM", new Guid("c7df2760-2c81-4ef7-b578-5b5392b571df"), "Office 365 E5", MicrosoftCsv),
            new KnownSku("SPE_E3", new Guid("05e9a617-0261-4cee-bb44-138d3ef5d965"), "Microsoft 365 E3", MicrosoftCsv),
            new KnownSku("SPE_E5", new Guid("06ebc4ee-1bb5-47dd-8120-11324bc54e06"), "Microsoft 365 E5", MicrosoftCsv),
            new KnownSku("SPE_E5_NOPSTNCONF", new Guid("cd2925a3-5076-4233-8931-638a8c94f773"), "Microsoft 365 E5 without Audio Conferencing", MicrosoftCsv),
            new KnownSku("Microsoft_365_E5_(no_Teams)", new Guid("18a4bd3f-0b5b-4887-b04f-61dd0ee15f5e"), "Microsoft 365 E5 (no Teams)", TenantDumps),
            new KnownSku("Microsoft_365_E3_(no_Teams)", new Guid("dcf0408c-aaec-446c-afd4-43e3683943ea"), "Microsoft 365 E3 (no Teams)", MicrosoftCsv),
            new KnownSku("Office_365_E3_(no_Teams)", new Guid("46c3a859-c90d-40b3-9551-6178a48d5c18"), "Office 365 E3 (no Teams)", MicrosoftCsv),
            new KnownSku("O365_w/o_Teams_Bundle_M5", new Guid("3271cf8e-2be5-4a09-a549-70fd05baaa17"), "Microsoft 365 E5 EEA (no Teams)", MicrosoftCsv),
            new KnownSku("O365_w/o Teams Bundle_M3", new Guid("c2fe850d-fbbb-4858-b67d-bd0c6e746da3"), "Microsoft 365 E3 EEA (no Teams)", MicrosoftCsv),
            new KnownSku("Office_365_w/o_Teams_Bundle_E5", new Guid("cf50bae9-29e8-4775-b07c-56ee10e3776d"), "Office 365 E5 EEA (no Teams)", MicrosoftCsv),
            new KnownSku("O365_w/o_Teams_Bundle_E3", new Guid("d711d25a-a21c-492f-bd19-aae1e8ebaf30"), "Office 365 E3 EEA (no Teams)", MicrosoftCsv),
        };

        /// <summary>
        /// Add-ons given beside a suite: Teams for the no-Teams suites (Microsoft_Teams_Enterprise_New has no id in
        /// any Microsoft source: it is always resolved from the tenant), Teams Phone and Audio Conferencing.
        /// </summary>
        public static readonly IReadOnlyList<KnownSku> AddOns = new[]
        {
            new KnownSku("Microsoft_Teams_Enterprise_New", null, "Microsoft Teams Enterprise", TenantDumps),
            new KnownSku("Microsoft_Teams_EEA_New", new Guid("7e74bd05-2c47-404e-829a-ba95c66fe8e5"), "Microsoft Teams EEA", MicrosoftCsv),
            new KnownSku("MCOEV", new Guid("e43b5b99-8dfb-405f-9987-dc307f34bcbd"), "Microsoft Teams Phone Standard", MicrosoftCsv),
            new KnownSku("MCOMEETADV", new Guid("0c266dff-15dd-4b49-8397-2bb16070ed52"), "Microsoft 365 Audio Conferencing", MicrosoftCsv),
        };

        /// <summary>Matched by skuId and by part number: a tenant SKU can carry either form of identity we know.</summary>
        public static bool IsE4(SkuInfo sku) => IsE4(sku.SkuId, sku.SkuPartNumber);

        public static bool IsE4(Guid skuId, string? skuPartNumber) => E4Skus.Any(k => k.Matches(skuId, skuPartNumber));

        public static bool IsUpgradeTarget(SkuInfo sku) => UpgradeTargets.Any(k => k.Matches(sku.SkuId, sku.SkuPartNumber));

        public static bool IsAddOn(SkuInfo sku) => AddOns.Any(k => k.Matches(sku.SkuId, sku.SkuPartNumber));

        /// <summary>Every SKU this module knows, for tab completion when no tenant is connected.</summary>
        public static IEnumerable<KnownSku> All => E4Skus.Concat(UpgradeTargets).Concat(AddOns);
    }
}
