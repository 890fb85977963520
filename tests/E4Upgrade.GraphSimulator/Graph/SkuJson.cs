using System;
using System.Linq;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Graph;

/// <summary>subscribedSku with its computed consumedUnits, and licenseDetails built from it.</summary>
internal static class SkuJson
{
    public static JsonObject SubscribedSku(SkuState sku)
    {
        var result = (JsonObject)sku.Source.DeepClone();
        result["id"] = sku.Id;
        result["consumedUnits"] = sku.Consumed;
        return result;
    }

    public static JsonObject LicenseDetail(UserState user, SkuState sku, Guid[] disabledPlans)
    {
        var plans = new JsonArray();
        if (sku.Source["servicePlans"] is JsonArray servicePlans)
        {
            foreach (var plan in servicePlans.OfType<JsonObject>())
            {
                var copy = (JsonObject)plan.DeepClone();
                if (Guid.TryParse(plan["servicePlanId"]?.GetValue<string>(), out var planId) && disabledPlans.Contains(planId))
                {
                    copy["provisioningStatus"] = "Disabled";
                }

                plans.Add(copy);
            }
        }

        var id = Convert.ToBase64String(user.Id.ToByteArray().Concat(sku.SkuId.ToByteArray()).ToArray())
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new JsonObject
        {
            ["id"] = id,
            ["skuId"] = sku.SkuId.ToString(),
            ["skuPartNumber"] = sku.SkuPartNumber,
            ["servicePlans"] = plans,
        };
    }
}
