using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Graph;

namespace E4Upgrade.GraphSimulator.Tenant;

/// <summary>
/// GET /_simulator/tenant: the tenant in the --tenant file shape, so it can be saved and loaded again.
/// users[].assignedLicenses holds direct assignments only (as in the file); the computed view is in
/// users[].licenseAssignmentStates, subscribedSkus[].consumedUnits and groups[].licenseProcessingState.
/// </summary>
internal static class TenantWriter
{
    public static JsonObject Write(TenantState tenant)
    {
        lock (tenant.Gate)
        {
            return new JsonObject
            {
                ["subscribedSkus"] = new JsonArray(tenant.SkuOrder.Select(s => (JsonNode?)Sku(s)).ToArray()),
                ["subscriptions"] = new JsonArray(tenant.Subscriptions.Select(s => s.DeepClone()).ToArray()),
                ["users"] = new JsonArray(tenant.Users.Select(u => (JsonNode?)User(u)).ToArray()),
                ["groups"] = new JsonArray(tenant.Groups.Select(g => (JsonNode?)Group(tenant, g)).ToArray()),
            };
        }
    }

    private static JsonObject Sku(SkuState sku)
    {
        var result = SkuJson.SubscribedSku(sku, DateTimeOffset.UtcNow);
        if (sku.PlanStatuses.Count > 0)
        {
            // Keeps the per-plan statuses when the file is loaded again (whatever --plan-status says then).
            result["servicePlanStatus"] = new JsonObject(sku.PlanStatuses.Select(p =>
                KeyValuePair.Create(sku.PlanNames.GetValueOrDefault(p.Key, p.Key.ToString()), (JsonNode?)p.Value)));
        }

        return result;
    }

    private static JsonObject User(UserState user)
    {
        var result = new JsonObject
        {
            ["id"] = user.Id.ToString(),
            ["userPrincipalName"] = user.UserPrincipalName,
            ["displayName"] = user.DisplayName,
            ["mail"] = user.Mail,
            ["usageLocation"] = user.UsageLocation,
            ["accountEnabled"] = user.AccountEnabled,
            ["assignedLicenses"] = new JsonArray(user.Assignments.Where(a => a.GroupId is null)
                .Select(a => (JsonNode?)GraphJson.AssignedLicense(a.SkuId, a.DisabledPlans)).ToArray()),
            ["licenseAssignmentStates"] = GraphJson.AssignmentStates(user.Assignments),
        };
        CopyExtra(user.Extra, result);
        return result;
    }

    private static JsonObject Group(TenantState tenant, GroupState group)
    {
        var result = new JsonObject
        {
            ["id"] = group.Id.ToString(),
            ["displayName"] = group.DisplayName,
            ["assignedLicenses"] = GroupJson.AssignedLicenses(group),
            ["licenseProcessingState"] = new JsonObject { ["state"] = group.LicenseProcessingState },
            ["members"] = new JsonArray(group.MemberOrdinals.Select(o => (JsonNode?)tenant.Users[o].Id.ToString()).ToArray()),
        };
        CopyExtra(group.Extra, result);
        return result;
    }

    private static void CopyExtra(JsonObject? extra, JsonObject target)
    {
        if (extra is null)
        {
            return;
        }

        foreach (var (key, value) in extra)
        {
            target[key] = value?.DeepClone();
        }
    }
}
