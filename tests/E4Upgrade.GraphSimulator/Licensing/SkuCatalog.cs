using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace E4Upgrade.GraphSimulator.Licensing;

/// <summary>A service plan of a catalog SKU; <see cref="AppliesTo"/> is "Company" for plans Graph shows as applying to the tenant.</summary>
internal sealed record CatalogPlan(Guid Id, string Name, string AppliesTo = "User")
{
    /// <summary>
    /// Plans whose servicePlanInfo.appliesTo is "Company": Microsoft's own GET /subscribedSkus example shows ADALLOM_S_O365
    /// (Office 365 Cloud App Security) so inside ENTERPRISEPREMIUM (docs-contrib api-reference/v1.0/api/subscribedsku-list.md).
    /// Microsoft's CSV has no such column; no other plan is shown so in a Microsoft source, so only this one is.
    /// </summary>
    public static readonly IReadOnlySet<string> CompanyPlans = new HashSet<string>(StringComparer.Ordinal) { "ADALLOM_S_O365" };

    public static CatalogPlan Of(Guid id, string name) => new(id, name, CompanyPlans.Contains(name) ? "Company" : "User");
}

/// <summary>A SKU as Microsoft lists it. <see cref="SkuId"/> is null only for supplement SKUs without a sourced id.</summary>
internal sealed record CatalogSku(string ProductName, string SkuPartNumber, Guid? SkuId, IReadOnlyList<CatalogPlan> Plans, string Source);

/// <summary>
/// Microsoft's "Product names and service plan identifiers for licensing" CSV (Data/licensing-service-plan-reference.csv)
/// plus Data/sku-supplement.json, both embedded. Part numbers resolve exactly (they may hold parentheses, slashes and
/// spaces); a part number Microsoft gives to two SKUs (MCOPSTN5) resolves only by skuId.
/// </summary>
internal sealed class SkuCatalog
{
    public static readonly Guid E4 = Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711");

    /// <summary>E4 and the four targets, in the order the generated tenant lists them.</summary>
    public static readonly Guid[] GeneratedTenantSkus =
    {
        E4,
        Guid.Parse("6fd2c87f-b296-42f0-b197-1e91e994b900"), // ENTERPRISEPACK, Office 365 E3
        Guid.Parse("c7df2760-2c81-4ef7-b578-5b5392b571df"), // ENTERPRISEPREMIUM, Office 365 E5
        Guid.Parse("05e9a617-0261-4cee-bb44-138d3ef5d965"), // SPE_E3, Microsoft 365 E3
        Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06"), // SPE_E5, Microsoft 365 E5
    };

    private const string CsvSource = "Microsoft, Product names and service plan identifiers for licensing (CSV, copy dated 2025-12-30)";
    private static readonly Lazy<SkuCatalog> Embedded = new(Load);
    private readonly Dictionary<Guid, CatalogSku> byId = new();
    private readonly Dictionary<string, List<CatalogSku>> byPartNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> planIdsByName = new(StringComparer.Ordinal);

    private SkuCatalog(IEnumerable<CatalogSku> skus)
    {
        foreach (var sku in skus)
        {
            Add(sku);
        }
    }

    public static SkuCatalog Shared => Embedded.Value;

    public IReadOnlyCollection<CatalogSku> Skus => byId.Values;

    public CatalogSku? Find(Guid skuId) => byId.GetValueOrDefault(skuId);

    /// <summary>The SKUs with exactly this part number (usually one; none if unknown).</summary>
    public IReadOnlyList<CatalogSku> FindByPartNumber(string partNumber) =>
        byPartNumber.TryGetValue(partNumber, out var list) ? list : Array.Empty<CatalogSku>();

    /// <summary>A service plan's id by name (names are unique in Microsoft's list apart from two legacy entries).</summary>
    public Guid? PlanId(string planName) => planIdsByName.TryGetValue(planName, out var id) ? id : null;

    private void Add(CatalogSku sku)
    {
        if (sku.SkuId is { } id)
        {
            byId[id] = sku;
        }

        if (!byPartNumber.TryGetValue(sku.SkuPartNumber, out var list))
        {
            byPartNumber[sku.SkuPartNumber] = list = new List<CatalogSku>();
        }

        list.Add(sku);
        foreach (var plan in sku.Plans)
        {
            planIdsByName.TryAdd(plan.Name, plan.Id);
        }
    }

    private static SkuCatalog Load()
    {
        var skus = new Dictionary<Guid, (string Product, string Part, List<CatalogPlan> Plans)>();
        var order = new List<Guid>();
        using (var reader = new StreamReader(Resource("licensing-service-plan-reference.csv"), Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            var header = CsvLine.Split(reader.ReadLine() ?? string.Empty);
            int Column(string name) => header.IndexOf(name) is var i and >= 0 ? i : throw new InvalidOperationException($"The SKU CSV has no column {name}.");
            int product = Column("Product_Display_Name"), part = Column("String_Id"), guid = Column("GUID"), planName = Column("Service_Plan_Name"), planId = Column("Service_Plan_Id");
            for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
            {
                if (line.Length == 0)
                {
                    continue;
                }

                var cells = CsvLine.Split(line);
                var skuId = Guid.Parse(cells[guid]);
                if (!skus.TryGetValue(skuId, out var entry))
                {
                    skus[skuId] = entry = (cells[product], cells[part], new List<CatalogPlan>());
                    order.Add(skuId);
                }

                // Microsoft's list carries a few names with stray trailing spaces; Graph's servicePlanName has none.
                entry.Plans.Add(CatalogPlan.Of(Guid.Parse(cells[planId]), cells[planName].Trim()));
            }
        }

        var fromCsv = order.Select(id => new CatalogSku(skus[id].Product, skus[id].Part, id, skus[id].Plans, CsvSource)).ToList();
        var partial = new SkuCatalog(fromCsv);
        var supplement = JsonNode.Parse(Resource("sku-supplement.json"))!["skus"]!.AsArray().OfType<JsonObject>()
            .Select(node => Supplement(partial, node))
            .ToList();
        return new SkuCatalog(fromCsv.Concat(supplement));
    }

    private static CatalogSku Supplement(SkuCatalog csv, JsonObject node)
    {
        var part = node["skuPartNumber"]!.GetValue<string>();
        var from = node["plansFrom"]!.AsObject();
        var baseSku = csv.FindByPartNumber(from["skuPartNumber"]!.GetValue<string>()).Single();
        var without = from["without"]!.AsArray().Select(p => p!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var skuId = node["skuId"] is JsonValue idValue ? Guid.Parse(idValue.GetValue<string>()) : (Guid?)null;
        return new CatalogSku(
            node["productName"]!.GetValue<string>(),
            part,
            skuId,
            baseSku.Plans.Where(p => !without.Contains(p.Name)).ToList(),
            node["source"]!.GetValue<string>());
    }

    internal static Stream Resource(string name) =>
        typeof(SkuCatalog).Assembly.GetManifestResourceStream("E4Upgrade.GraphSimulator.Data." + name)
            ?? throw new InvalidOperationException($"The embedded {name} is missing.");

    /// <summary>One RFC 4180 line: commas separate cells; a quoted cell may hold commas and doubled quotes.</summary>
    private static class CsvLine
    {
        public static List<string> Split(string line)
        {
            var cells = new List<string>();
            var cell = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                    {
                        cell.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        cell.Append(c);
                    }
                }
                else if (c == '"')
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    cells.Add(cell.ToString());
                    cell.Clear();
                }
                else
                {
                    cell.Append(c);
                }
            }

            cells.Add(cell.ToString());
            return cells;
        }
    }
}
