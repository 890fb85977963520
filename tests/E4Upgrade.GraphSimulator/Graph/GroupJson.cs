using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Graph;

/// <summary>The group resource; assignedLicenses and licenseProcessingState come only with $select, as in Graph.</summary>
internal static class GroupJson
{
    public static JsonObject Build(GroupState group, IReadOnlyList<string>? select)
    {
        if (select is not null)
        {
            return GraphJson.Select(select, name => Property(group, name));
        }

        var result = new JsonObject { ["id"] = group.Id.ToString(), ["displayName"] = group.DisplayName };
        if (group.Extra is not null)
        {
            foreach (var (key, value) in group.Extra)
            {
                result[key] = value?.DeepClone();
            }
        }

        return result;
    }

    private static (string Name, JsonNode? Value) Property(GroupState group, string name) =>
        name.ToLowerInvariant() switch
        {
            "id" => ("id", group.Id.ToString()),
            "displayname" => ("displayName", group.DisplayName),
            "assignedlicenses" => ("assignedLicenses", AssignedLicenses(group)),
            // The docs call it a string; Graph and the SDKs return an object { "state": ... }.
            "licenseprocessingstate" => ("licenseProcessingState", new JsonObject { ["state"] = group.LicenseProcessingState }),
            _ => (name, group.Extra?.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.DeepClone()),
        };

    public static JsonArray AssignedLicenses(GroupState group) =>
        new(group.Licenses.Select(l => (JsonNode?)GraphJson.AssignedLicense(l.SkuId, l.DisabledPlans)).ToArray());
}
