using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;

namespace E4Upgrade.GraphSimulator.Tenant;

internal sealed record CatalogPlan(Guid Id, string Name);

internal sealed record CatalogSku(string ProductName, string SkuPartNumber, Guid SkuId, IReadOnlyList<CatalogPlan> Plans);

/// <summary>Microsoft's SKU list for E4 and the four targets, embedded in the assembly (Data/sku-catalog.json).</summary>
internal static class SkuCatalog
{
    public static readonly Guid E4 = Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711");

    public static IReadOnlyList<CatalogSku> Load()
    {
        using var stream = typeof(SkuCatalog).Assembly.GetManifestResourceStream("E4Upgrade.GraphSimulator.sku-catalog.json")
            ?? throw new InvalidOperationException("The embedded sku-catalog.json is missing.");
        var root = JsonNode.Parse(stream)!.AsObject();
        return root["skus"]!.AsArray().OfType<JsonObject>()
            .Select(s => new CatalogSku(
                s["productName"]!.ToString(),
                s["skuPartNumber"]!.ToString(),
                Guid.Parse(s["skuId"]!.ToString()),
                s["servicePlans"]!.AsArray().OfType<JsonObject>()
                    .Select(p => new CatalogPlan(Guid.Parse(p["servicePlanId"]!.ToString()), p["servicePlanName"]!.ToString()))
                    .ToList()))
            .ToList();
    }
}
