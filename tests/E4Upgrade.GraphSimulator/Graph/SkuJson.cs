using System;
using System.Linq;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Graph;

/// <summary>subscribedSku with its computed consumedUnits and plan statuses, and licenseDetails built from it.</summary>
internal static class SkuJson
{
    /// <param name="consumed">consumedUnits as this read sees it (a lagging replica); null = current.</param>
    public static JsonObject SubscribedSku(SkuState sku, DateTimeOffset now, int? consumed = null)
    {
        var result = (JsonObject)sku.Source.DeepClone();
        result["id"] = sku.Id;
        result["consumedUnits"] = consumed ?? sku.Consumed;
        if (result["servicePlans"] is JsonArray plans)
        {
            foreach (var plan in plans.OfType<JsonObject>())
            {
                plan["provisioningStatus"] = Status(sku, plan, now);
            }
        }

        return result;
    }

    public static JsonObject LicenseDetail(UserState user, SkuState sku, Guid[] disabledPlans, DateTimeOffset now)
    {
        var plans = new JsonArray();
        if (sku.Source["servicePlans"] is JsonArray servicePlans)
        {
            foreach (var plan in servicePlans.OfType<JsonObject>())
            {
                var copy = (JsonObject)plan.DeepClone();
                copy["provisioningStatus"] = Guid.TryParse(plan["servicePlanId"]?.GetValue<string>(), out var planId) && disabledPlans.Contains(planId)
                    ? "Disabled"
                    : Status(sku, plan, now);
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

    private static string Status(SkuState sku, JsonObject plan, DateTimeOffset now) =>
        sku.PlanStatus(
            Guid.TryParse(plan["servicePlanId"]?.ToString(), out var planId) ? planId : Guid.Empty,
            plan["provisioningStatus"]?.ToString(),
            now);
}
