using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Graph;

namespace E4Upgrade.GraphSimulator.Licensing;

internal sealed record LicenseToAdd(Guid SkuId, Guid[] DisabledPlans);

/// <summary>The assignLicense body (user or group): both keys are required, as Graph requires them.</summary>
internal sealed record LicenseChangeRequest(IReadOnlyList<LicenseToAdd> Add, IReadOnlyList<Guid> Remove)
{
    public static LicenseChangeRequest? Parse(JsonNode? body, out GraphResponse? error)
    {
        error = null;
        var obj = body as JsonObject;
        var addNode = FindProperty(obj, "addLicenses");
        var removeNode = FindProperty(obj, "removeLicenses");
        var missing = new List<string>();
        if (addNode is null)
        {
            missing.Add("addLicenses");
        }

        if (removeNode is null)
        {
            missing.Add("removeLicenses");
        }

        if (missing.Count > 0)
        {
            error = GraphErrors.BadRequest(
                "One or more parameters of the operation 'assignLicense' are missing from the request payload. " +
                $"The missing parameters are: {string.Join(",", missing)}.");
            return null;
        }

        try
        {
            var adds = new List<LicenseToAdd>();
            foreach (var item in AsArray(addNode!, "addLicenses"))
            {
                var license = item as JsonObject ?? throw new FormatException("Each addLicenses entry must be an object.");
                var skuId = ParseGuid(FindProperty(license, "skuId"));
                var disabled = FindProperty(license, "disabledPlans") is JsonArray plans
                    ? plans.Select(ParseGuid).Distinct().ToArray()
                    : Array.Empty<Guid>();
                adds.Add(new LicenseToAdd(skuId, disabled));
            }

            var removes = AsArray(removeNode!, "removeLicenses").Select(ParseGuid).ToList();
            return new LicenseChangeRequest(adds, removes);
        }
        catch (FormatException ex)
        {
            error = GraphErrors.BadRequest(ex.Message);
            return null;
        }
    }

    private static JsonNode? FindProperty(JsonObject? obj, string name)
    {
        if (obj is null)
        {
            return null;
        }

        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                // An explicit null counts as missing, as Graph treats it.
                return value;
            }
        }

        return null;
    }

    private static JsonArray AsArray(JsonNode node, string name) =>
        node as JsonArray ?? throw new FormatException($"The parameter '{name}' must be a collection.");

    private static Guid ParseGuid(JsonNode? node)
    {
        var text = node is JsonValue value && value.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "null";
        return Guid.TryParse(text, out var id)
            ? id
            : throw new FormatException($"Cannot convert the literal '{text}' to the expected type 'Edm.Guid'.");
    }
}
