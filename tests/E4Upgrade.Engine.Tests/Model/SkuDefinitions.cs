using System.Text.Json.Nodes;
using E4Upgrade.Engine.Graph;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.Engine.Tests;

/// <summary>
/// The SKUs a test defines (engine SkuInfo, which it may change between calls), kept in line with the simulator's
/// tenant: a changed definition is read by the simulator's own SkuReader and put in place of the old one.
/// </summary>
internal sealed class SkuDefinitions
{
    private readonly IReadOnlyList<SkuInfo> _definitions;
    private readonly Dictionary<Guid, string> _synced = new();

    public SkuDefinitions(IReadOnlyList<SkuInfo> definitions) => _definitions = definitions;

    /// <summary>Call inside the tenant's gate.</summary>
    public void SyncTo(TenantState tenant)
    {
        foreach (var definition in _definitions)
        {
            var signature = Signature(definition);
            if (_synced.TryGetValue(definition.SkuId, out var synced) && synced == signature)
            {
                continue;
            }

            _synced[definition.SkuId] = signature;
            var sku = SkuReader.Read(tenant.TenantId, Json(tenant.TenantId, definition), fromCatalog: false, tenant.Settings, DateTimeOffset.UtcNow);
            // A definition's consumed units are seats held by users outside this tenant's list (see PutSku).
            sku.Consumed = definition.ConsumedUnits;
            tenant.PutSku(sku);
        }
    }

    /// <summary>The definition as /subscribedSkus shows a SKU.</summary>
    private static JsonObject Json(string tenantId, SkuInfo definition) => new()
    {
        ["accountId"] = tenantId,
        ["appliesTo"] = definition.AppliesTo,
        ["capabilityStatus"] = definition.CapabilityStatus,
        ["id"] = $"{tenantId}_{definition.SkuId}",
        ["prepaidUnits"] = new JsonObject
        {
            ["enabled"] = definition.EnabledUnits,
            ["suspended"] = definition.SuspendedUnits,
            ["warning"] = definition.WarningUnits,
            ["lockedOut"] = definition.LockedOutUnits,
        },
        ["servicePlans"] = new JsonArray(definition.ServicePlans.Select(p => (JsonNode?)new JsonObject
        {
            ["servicePlanId"] = p.ServicePlanId.ToString(),
            ["servicePlanName"] = p.ServicePlanName,
            ["provisioningStatus"] = p.ProvisioningStatus,
            ["appliesTo"] = p.AppliesTo,
        }).ToArray()),
        ["skuId"] = definition.SkuId.ToString(),
        ["skuPartNumber"] = definition.SkuPartNumber,
        ["subscriptionIds"] = new JsonArray(definition.SubscriptionIds.Select(s => (JsonNode?)s).ToArray()),
    };

    private static string Signature(SkuInfo sku) => string.Join(
        "|",
        sku.SkuPartNumber, sku.CapabilityStatus, sku.AppliesTo, sku.EnabledUnits, sku.SuspendedUnits, sku.WarningUnits, sku.LockedOutUnits, sku.ConsumedUnits,
        string.Join(",", sku.SubscriptionIds),
        string.Join(",", sku.ServicePlans.Select(p => $"{p.ServicePlanId}:{p.ServicePlanName}:{p.ProvisioningStatus}:{p.AppliesTo}")));
}
