using System;
using System.Linq;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Graph;

/// <summary>/subscribedSkus, /directory/subscriptions and /organization: read-only, as in Graph.</summary>
internal sealed class DirectoryEndpoints
{
    private readonly TenantHolder holder;

    public DirectoryEndpoints(TenantHolder holder)
    {
        this.holder = holder;
    }

    /// <summary>
    /// Text of Graph's refusal of $filter on subscribedSkus, as a user quoted it (microsoftgraph/microsoft-graph-docs issue
    /// 5922, 2019; the docs then changed to say only $select is supported). The status and code were not quoted: 400
    /// Request_UnsupportedQuery is the directory's answer to other unsupported queries (our choice).
    /// </summary>
    public const string FilterNotSupportedMessage = "Filtered searches against this resource are not supported.";

    public GraphResponse SubscribedSkus(GraphRequest request, string? id)
    {
        if (request.Query.TryGetValue("$filter", out _))
        {
            return GraphErrors.UnsupportedQuery(FilterNotSupportedMessage);
        }

        var tenant = holder.Current;
        var select = ListQuery.ParseSelect(request);
        var now = DateTimeOffset.UtcNow;
        lock (tenant.Gate)
        {
            if (id is null)
            {
                var value = new JsonArray(tenant.SkuOrder.Select(s => (JsonNode?)Project(SkuJson.SubscribedSku(s, now, tenant.Replica.Consumed(s, now)), select)).ToArray());
                return GraphResponse.Ok(new JsonObject
                {
                    ["@odata.context"] = $"{request.GraphBaseUrl}/$metadata#subscribedSkus",
                    ["value"] = value,
                });
            }

            var sku = tenant.SkuOrder.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase));
            return sku is null ? GraphErrors.UserNotFound(id) : GraphResponse.Ok(Project(SkuJson.SubscribedSku(sku, now, tenant.Replica.Consumed(sku, now)), select));
        }
    }

    public GraphResponse Subscriptions(GraphRequest request, string? id)
    {
        var tenant = holder.Current;
        var select = ListQuery.ParseSelect(request);
        lock (tenant.Gate)
        {
            if (id is null)
            {
                return GraphResponse.Ok(new JsonObject
                {
                    ["@odata.context"] = $"{request.GraphBaseUrl}/$metadata#directory/subscriptions",
                    ["value"] = new JsonArray(tenant.Subscriptions.Select(s => (JsonNode?)Project((JsonObject)s.DeepClone(), select)).ToArray()),
                });
            }

            var match = tenant.Subscriptions.FirstOrDefault(s =>
                string.Equals(s["id"]?.ToString(), id, StringComparison.OrdinalIgnoreCase)
                || string.Equals(s["commerceSubscriptionId"]?.ToString(), id, StringComparison.OrdinalIgnoreCase));
            return match is null ? GraphErrors.UserNotFound(id) : GraphResponse.Ok(Project((JsonObject)match.DeepClone(), select));
        }
    }

    /// <summary>
    /// GET /organization: the one organization of the tenant, whose id is the tenant id ("The tenant ID, a unique
    /// identifier representing the organization", Graph v1.0 organization resource; "There's only one organization
    /// object in the collection", List organizations). displayName is the SKUs' accountName; the other properties
    /// are left out (nothing here uses them). GET /organization/{id} answers the same object for the tenant id, else 404.
    /// </summary>
    public GraphResponse Organization(GraphRequest request, string? id)
    {
        var tenant = holder.Current;
        var select = ListQuery.ParseSelect(request);
        lock (tenant.Gate)
        {
            var organization = Project(OrganizationJson(tenant), select);
            if (id is not null)
            {
                return string.Equals(id, tenant.TenantId, StringComparison.OrdinalIgnoreCase)
                    ? GraphResponse.Ok(organization)
                    : GraphErrors.UserNotFound(id);
            }

            return GraphResponse.Ok(new JsonObject
            {
                ["@odata.context"] = $"{request.GraphBaseUrl}/$metadata#organization",
                ["value"] = new JsonArray(organization),
            });
        }
    }

    private static JsonObject OrganizationJson(TenantState tenant) => new()
    {
        ["id"] = tenant.TenantId,
        ["displayName"] = tenant.SkuOrder.Select(s => s.Source["accountName"]?.ToString()).FirstOrDefault(n => !string.IsNullOrEmpty(n)) ?? "Contoso",
        ["tenantType"] = "AAD",
    };

    private static JsonObject Project(JsonObject full, System.Collections.Generic.IReadOnlyList<string>? select)
    {
        if (select is null)
        {
            return full;
        }

        var result = new JsonObject();
        foreach (var name in select)
        {
            var match = full.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
            result[match.Key ?? name] = match.Value?.DeepClone();
        }

        return result;
    }
}
