using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>A SKU known by its part number and id (Microsoft's "Product names and service plan identifiers" list).</summary>
    public sealed class KnownSku
    {
        public KnownSku(string skuPartNumber, Guid skuId)
        {
            SkuPartNumber = skuPartNumber;
            SkuId = skuId;
        }

        public string SkuPartNumber { get; }
        public Guid SkuId { get; }
    }

    /// <summary>Office 365 E4 and its variants, and the SKUs Microsoft names as upgrade paths from E4.</summary>
    public static class E4SkuFamily
    {
        public const string E4PartNumber = "ENTERPRISEWITHSCAL";

        public static readonly IReadOnlyList<KnownSku> E4Skus = new[]
        {
            new KnownSku("ENTERPRISEWITHSCAL", new Guid("1392051d-0cb9-4b7a-88d5-621fee5e8711")),
            new KnownSku("ENTERPRISEWITHSCAL_FACULTY", new Guid("16732e85-c0e3-438e-a82f-71f39cbe2acb")),
            new KnownSku("ENTERPRISEWITHSCAL_STUDENT", new Guid("05e8cabf-68b5-480f-a930-2143d472d959")),
            new KnownSku("ENTERPRISEWITHSCALWITHOUTPROPLUS", new Guid("b865e169-24fb-4d7c-926e-c557a48080b6")),
        };

        /// <summary>The five options of "Important information for Office 365 E4 customers" (doc section 7).</summary>
        public static readonly IReadOnlyList<KnownSku> UpgradeTargets = new[]
        {
            new KnownSku("ENTERPRISEPACK", new Guid("6fd2c87f-b296-42f0-b197-1e91e994b900")),
            new KnownSku("ENTERPRISEPREMIUM", new Guid("c7df2760-2c81-4ef7-b578-5b5392b571df")),
            new KnownSku("ENTERPRISEPREMIUM_NOPSTNCONF", new Guid("26d45bd9-adf1-46cd-a9e1-51e9a5524128")),
            new KnownSku("SPE_E3", new Guid("05e9a617-0261-4cee-bb44-138d3ef5d965")),
            new KnownSku("SPE_E5", new Guid("06ebc4ee-1bb5-47dd-8120-11324bc54e06")),
        };

        /// <summary>Matched by skuId and by part number: a tenant SKU can carry either form of identity we know.</summary>
        public static bool IsE4(SkuInfo sku) => IsE4(sku.SkuId, sku.SkuPartNumber);

        public static bool IsE4(Guid skuId, string? skuPartNumber) =>
            E4Skus.Any(k => k.SkuId == skuId
                || string.Equals(k.SkuPartNumber, skuPartNumber, StringComparison.OrdinalIgnoreCase));

        public static bool IsUpgradeTarget(SkuInfo sku) =>
            UpgradeTargets.Any(k => k.SkuId == sku.SkuId
                || string.Equals(k.SkuPartNumber, sku.SkuPartNumber, StringComparison.OrdinalIgnoreCase));
    }
}
