using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Licensing;

namespace E4Upgrade.GraphSimulator.Tenant;

/// <summary>
/// A tenant file's subscribedSku: the full Graph shape (with servicePlans), or the short form that names the SKU by
/// skuPartNumber or skuId with seats and status and takes its plans from the catalog. Both may add the simulator's
/// servicePlanStatus, provisioningSeconds and prohibitedUsageLocations (never returned by Graph calls).
/// </summary>
internal static class SkuReader
{
    private static readonly string[] SimulatorOnly = { "seats", "servicePlanStatus", "provisioningSeconds", "prohibitedUsageLocations" };
    private static readonly string[] Statuses = { "Success", "Disabled", "PendingActivation", "PendingInput", "PendingProvisioning", "Error" };

    /// <summary>The SKU in full Graph shape; fromCatalog tells whether its plans came from the catalog.</summary>
    public static (JsonObject Full, bool FromCatalog) Complete(string tenantId, JsonObject node, SkuCatalog catalog)
    {
        if (node["servicePlans"] is JsonArray)
        {
            return (node, false);
        }

        var sku = Resolve(node, catalog);
        var skuId = sku.SkuId ?? (Guid.TryParse(node["skuId"]?.ToString(), out var given) ? given : throw new InvalidOperationException(
            $"The catalog has no sourced skuId for {sku.SkuPartNumber}; give the skuId your tenant's /subscribedSkus shows."));
        var prepaid = node["prepaidUnits"] as JsonObject;
        var seats = node["seats"] is JsonValue seatValue ? seatValue.GetValue<int>() : TenantLoader.Int(prepaid, "enabled");
        var full = (JsonObject)node.DeepClone();
        full["accountId"] ??= tenantId;
        full["appliesTo"] ??= "User";
        full["capabilityStatus"] ??= "Enabled";
        full["id"] ??= $"{tenantId}_{skuId}";
        full["prepaidUnits"] = new JsonObject
        {
            ["enabled"] = seats,
            ["lockedOut"] = TenantLoader.Int(prepaid, "lockedOut"),
            ["suspended"] = TenantLoader.Int(prepaid, "suspended"),
            ["warning"] = TenantLoader.Int(prepaid, "warning"),
        };
        full["servicePlans"] = ServicePlans(sku);
        full["skuId"] = skuId.ToString();
        full["skuPartNumber"] = sku.SkuPartNumber;
        full["subscriptionIds"] ??= new JsonArray(StableGuid(tenantId, skuId, "subscription").ToString());
        return (full, true);
    }

    /// <summary>A catalog SKU's servicePlans as /subscribedSkus shows them (every plan provisioned).</summary>
    public static JsonArray ServicePlans(CatalogSku sku) =>
        new(sku.Plans.Select(p => (JsonNode?)new JsonObject
        {
            ["servicePlanId"] = p.Id.ToString(),
            ["servicePlanName"] = p.Name,
            ["provisioningStatus"] = "Success",
            ["appliesTo"] = p.AppliesTo,
        }).ToArray());

    public static SkuState Read(string tenantId, JsonObject node, bool fromCatalog, TenantSettings settings, DateTimeOffset loadedAt)
    {
        var skuId = TenantLoader.RequiredGuid(node, "skuId", "subscribedSku");
        var plans = (node["servicePlans"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
            .Select(p => (Id: Guid.TryParse(p["servicePlanId"]?.ToString(), out var id) ? id : Guid.Empty, Name: p["servicePlanName"]?.ToString() ?? string.Empty))
            .Where(p => p.Id != Guid.Empty)
            .ToList();
        var prepaid = node["prepaidUnits"] as JsonObject;
        var source = (JsonObject)node.DeepClone();
        source.Remove("consumedUnits");
        foreach (var name in SimulatorOnly)
        {
            source.Remove(name);
        }

        var provisioningSeconds = node["provisioningSeconds"] is JsonValue seconds ? seconds.GetValue<double>() : 0;
        return new SkuState
        {
            SkuId = skuId,
            SkuPartNumber = node["skuPartNumber"]?.ToString() ?? skuId.ToString(),
            Id = node["id"]?.ToString() ?? $"{tenantId}_{skuId}",
            AppliesTo = node["appliesTo"]?.ToString() ?? "User",
            CapabilityStatus = node["capabilityStatus"]?.ToString() ?? "Enabled",
            Enabled = TenantLoader.Int(prepaid, "enabled"),
            Suspended = TenantLoader.Int(prepaid, "suspended"),
            Warning = TenantLoader.Int(prepaid, "warning"),
            LockedOut = TenantLoader.Int(prepaid, "lockedOut"),
            PlanIds = plans.Select(p => p.Id).ToHashSet(),
            PlanNames = plans.GroupBy(p => p.Id).ToDictionary(g => g.Key, g => g.First().Name),
            PlanStatuses = PlanStatuses(node, plans, settings.PlanStatuses),
            ProvisionedAt = provisioningSeconds > 0 ? loadedAt.AddSeconds(provisioningSeconds / settings.TimeScale) : null,
            ProhibitedUsageLocations = TenantLoader.Array(node, "prohibitedUsageLocations").Select(l => l!.ToString())
                .ToHashSet(StringComparer.OrdinalIgnoreCase),
            FromCatalog = fromCatalog,
            Source = source,
        };
    }

    /// <summary>A companySubscription for each catalog-named SKU the tenant file gives none for.</summary>
    public static void AddMissingSubscriptions(TenantState tenant)
    {
        foreach (var sku in tenant.SkuOrder.Where(s => s.FromCatalog))
        {
            if (tenant.Subscriptions.Any(s => string.Equals(s["skuId"]?.ToString(), sku.SkuId.ToString(), StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var commerceId = sku.Source["subscriptionIds"] is JsonArray { Count: > 0 } ids ? ids[0]!.ToString() : StableGuid(tenant.TenantId, sku.SkuId, "subscription").ToString();
            tenant.Subscriptions.Add(new JsonObject
            {
                ["createdDateTime"] = "2024-01-01T00:00:00Z",
                ["commerceSubscriptionId"] = commerceId,
                ["id"] = StableGuid(tenant.TenantId, sku.SkuId, "companySubscription").ToString(),
                ["isTrial"] = false,
                ["nextLifecycleDateTime"] = "2026-12-31T00:00:00Z",
                ["serviceStatus"] = sku.Source["servicePlans"]!.DeepClone(),
                ["skuId"] = sku.SkuId.ToString(),
                ["skuPartNumber"] = sku.SkuPartNumber,
                ["status"] = sku.CapabilityStatus,
                ["totalLicenses"] = sku.Enabled,
                ["ownerId"] = null,
                ["ownerTenantId"] = null,
                ["ownerType"] = null,
            });
        }
    }

    private static CatalogSku Resolve(JsonObject node, SkuCatalog catalog)
    {
        var partNumber = node["skuPartNumber"]?.ToString();
        if (Guid.TryParse(node["skuId"]?.ToString(), out var skuId) && catalog.Find(skuId) is { } byId)
        {
            return partNumber is null || partNumber == byId.SkuPartNumber
                ? byId
                : throw new InvalidOperationException($"subscribedSku {skuId} is {byId.SkuPartNumber} in the catalog, not '{partNumber}'.");
        }

        if (partNumber is null)
        {
            throw new InvalidOperationException(node["skuId"] is null
                ? "A subscribedSku in the tenant file needs servicePlans, a skuPartNumber or a skuId."
                : $"skuId {node["skuId"]} is not in the SKU catalog; give its servicePlans or a skuPartNumber.");
        }

        var matches = catalog.FindByPartNumber(partNumber);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new InvalidOperationException($"skuPartNumber '{partNumber}' is not in the SKU catalog (Data/licensing-service-plan-reference.csv, Data/sku-supplement.json); give its servicePlans."),
            _ => matches.FirstOrDefault(m => m.SkuId == skuId) ?? throw new InvalidOperationException(
                $"skuPartNumber '{partNumber}' names {matches.Count} SKUs in the catalog ({string.Join(", ", matches.Select(m => m.SkuId))}); give the skuId."),
        };
    }

    private static Dictionary<Guid, string> PlanStatuses(JsonObject node, List<(Guid Id, string Name)> plans, IReadOnlyDictionary<string, string> defaults)
    {
        var statuses = new Dictionary<Guid, string>();
        foreach (var (id, name) in plans)
        {
            if (defaults.TryGetValue(name, out var status))
            {
                statuses[id] = status;
            }
        }

        foreach (var (key, value) in node["servicePlanStatus"] as JsonObject ?? new JsonObject())
        {
            var plan = plans.FirstOrDefault(p => p.Name == key || p.Id.ToString().Equals(key, StringComparison.OrdinalIgnoreCase));
            if (plan.Id == Guid.Empty)
            {
                throw new InvalidOperationException($"servicePlanStatus names '{key}', which is not a plan of {node["skuPartNumber"] ?? node["skuId"]}.");
            }

            var text = value?.ToString();
            statuses[plan.Id] = Statuses.FirstOrDefault(s => string.Equals(s, text, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException($"servicePlanStatus '{key}': unknown status '{text}' (use {string.Join(", ", Statuses)}).");
        }

        return statuses;
    }

    private static Guid StableGuid(string tenantId, Guid skuId, string purpose) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}/{skuId}/{purpose}")).AsSpan(0, 16));
}
