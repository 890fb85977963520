using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Graph;

/// <summary>Common JSON helpers in Graph's formats.</summary>
internal static class GraphJson
{
    public static string Date(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonArray Guids(IEnumerable<Guid> ids) => new(ids.Select(id => (JsonNode?)JsonValue.Create(id.ToString())).ToArray());

    public static JsonObject AssignedLicense(Guid skuId, IEnumerable<Guid> disabledPlans) =>
        new() { ["disabledPlans"] = Guids(disabledPlans), ["skuId"] = skuId.ToString() };

    /// <summary>
    /// user.assignedLicenses as Graph reports it: one entry per active SKU, direct or inherited; when a SKU comes
    /// from several sources a plan is disabled only if every source disables it.
    /// </summary>
    public static JsonArray EffectiveLicenses(IEnumerable<LicenseAssignment> assignments)
    {
        var result = new JsonArray();
        foreach (var bySku in assignments.Where(a => a.IsActive).GroupBy(a => a.SkuId))
        {
            IEnumerable<Guid> disabled = bySku.First().DisabledPlans;
            foreach (var other in bySku.Skip(1))
            {
                disabled = disabled.Intersect(other.DisabledPlans);
            }

            result.Add(AssignedLicense(bySku.Key, disabled.ToArray()));
        }

        return result;
    }

    public static JsonArray AssignmentStates(IEnumerable<LicenseAssignment> assignments) =>
        new(assignments.Select(a => (JsonNode?)new JsonObject
        {
            ["assignedByGroup"] = a.GroupId?.ToString(),
            ["disabledPlans"] = Guids(a.DisabledPlans),
            ["error"] = a.Error ?? "None",
            ["lastUpdatedDateTime"] = Date(a.LastUpdated),
            ["skuId"] = a.SkuId.ToString(),
            ["state"] = a.StateName,
        }).ToArray());

    public static JsonObject Select(IReadOnlyList<string> names, Func<string, (string Name, JsonNode? Value)> resolve)
    {
        var result = new JsonObject();
        foreach (var requested in names)
        {
            var (name, value) = resolve(requested);
            result[name] = value;
        }

        return result;
    }
}
