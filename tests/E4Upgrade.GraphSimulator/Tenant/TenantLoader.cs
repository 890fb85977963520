using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Licensing;

namespace E4Upgrade.GraphSimulator.Tenant;

/// <summary>
/// Reads a tenant in Graph's shapes: { subscribedSkus, subscriptions, users, groups (+ "members") }. A user's
/// assignedLicenses are its direct assignments; group licenses are inherited on load with seat counting.
/// consumedUnits and licenseAssignmentStates are computed, never read.
/// </summary>
internal static class TenantLoader
{
    private static readonly HashSet<string> UserKnown = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "userPrincipalName", "displayName", "mail", "usageLocation", "accountEnabled", "assignedLicenses", "licenseAssignmentStates",
    };

    private static readonly HashSet<string> GroupKnown = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "displayName", "assignedLicenses", "members", "licenseProcessingState",
    };

    public static TenantState Load(JsonObject root) => Load(root, TenantSettings.Ideal);

    public static TenantState Load(JsonObject root, TenantSettings settings)
    {
        var skus = Array(root, "subscribedSkus").OfType<JsonObject>().ToList();
        var tenantId = skus.Select(s => s["accountId"]?.ToString() ?? s["id"]?.ToString()?.Split('_')[0])
            .FirstOrDefault(id => Guid.TryParse(id, out _)) ?? "00000000-0000-0000-0000-000000000001";
        var tenant = new TenantState(tenantId, settings);
        var loadedAt = DateTimeOffset.UtcNow;
        foreach (var sku in skus)
        {
            var (full, fromCatalog) = SkuReader.Complete(tenantId, sku, settings.Catalog);
            tenant.AddSku(SkuReader.Read(tenantId, full, fromCatalog, settings, loadedAt));
        }

        foreach (var subscription in Array(root, "subscriptions").OfType<JsonObject>())
        {
            tenant.Subscriptions.Add((JsonObject)subscription.DeepClone());
        }

        SkuReader.AddMissingSubscriptions(tenant);
        foreach (var user in Array(root, "users").OfType<JsonObject>())
        {
            tenant.AddUser(ReadUser(tenant.Users.Count, user, loadedAt));
        }

        foreach (var node in Array(root, "groups").OfType<JsonObject>())
        {
            tenant.AddGroup(ReadGroup(tenant, node, loadedAt));
        }

        foreach (var group in tenant.Groups)
        {
            foreach (var ordinal in group.MemberOrdinals)
            {
                GroupLicenseInheritance.Apply(tenant, group, tenant.Users[ordinal], loadedAt);
            }
        }

        tenant.FinishLoading();
        return tenant;
    }

    private static UserState ReadUser(int ordinal, JsonObject node, DateTimeOffset loadedAt)
    {
        var upn = node["userPrincipalName"]?.ToString();
        if (string.IsNullOrWhiteSpace(upn))
        {
            throw new InvalidOperationException($"User #{ordinal + 1} in the tenant file has no userPrincipalName.");
        }

        var user = new UserState
        {
            Ordinal = ordinal,
            Id = RequiredGuid(node, "id", $"user {upn}"),
            UserPrincipalName = upn,
            DisplayName = node["displayName"]?.ToString(),
            Mail = node["mail"]?.ToString(),
            UsageLocation = node["usageLocation"]?.ToString(),
            AccountEnabled = node["accountEnabled"] is not JsonValue enabled || enabled.GetValueKind() != JsonValueKind.False,
            Assignments = Licenses(node, groupId: null, loadedAt),
            Extra = ExtraProperties(node, UserKnown),
        };
        return user;
    }

    private static GroupState ReadGroup(TenantState tenant, JsonObject node, DateTimeOffset loadedAt)
    {
        var id = RequiredGuid(node, "id", "group");
        var group = new GroupState
        {
            Id = id,
            DisplayName = node["displayName"]?.ToString(),
            Licenses = Licenses(node, id, loadedAt),
            Extra = ExtraProperties(node, GroupKnown),
        };
        foreach (var member in Array(node, "members"))
        {
            var key = member is JsonObject memberObject ? memberObject["id"]?.ToString() : member?.ToString();
            var user = key is null ? null : tenant.FindUser(key);
            if (user is null)
            {
                throw new InvalidOperationException($"Group {id} lists member '{key}', which is not a user of the tenant.");
            }

            group.MemberOrdinals.Add(user.Ordinal);
            user.GroupIds.Add(id);
        }

        return group;
    }

    private static LicenseAssignment[] Licenses(JsonObject node, Guid? groupId, DateTimeOffset loadedAt) =>
        Array(node, "assignedLicenses").OfType<JsonObject>()
            .Select(l => new LicenseAssignment(
                RequiredGuid(l, "skuId", "assignedLicense"),
                (l["disabledPlans"] as JsonArray ?? new JsonArray()).Select(p => Guid.Parse(p!.ToString())).ToArray(),
                groupId,
                null,
                loadedAt))
            .GroupBy(l => l.SkuId)
            .Select(g => g.Last())
            .ToArray();

    private static JsonObject? ExtraProperties(JsonObject node, HashSet<string> known)
    {
        var extra = node.Where(p => !known.Contains(p.Key)).ToList();
        return extra.Count == 0 ? null : new JsonObject(extra.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
    }

    internal static JsonArray Array(JsonObject node, string name) => node[name] as JsonArray ?? new JsonArray();

    internal static int Int(JsonObject? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : 0;

    internal static Guid RequiredGuid(JsonObject node, string name, string what) =>
        Guid.TryParse(node[name]?.ToString(), out var id)
            ? id
            : throw new InvalidOperationException($"The {what} in the tenant file needs a GUID '{name}'.");
}
