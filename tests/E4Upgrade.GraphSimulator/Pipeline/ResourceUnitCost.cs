using System;
using System.Globalization;
using E4Upgrade.GraphSimulator.Graph;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// What one call costs against the resource-unit quota, per Microsoft Graph service-specific throttling limits,
/// "Identity and access service limits" (Learn copy 2026-02-06): writes 1 RU (plus 1 write); the base cost of a
/// read comes from the route (GET users 2, subscribedSkus 3, licenseDetails 2, group members 3; a path the table
/// does not list costs 1, as Microsoft's Q&amp;A answer on that page says); $select -1, $top below 20 -1, $expand +1;
/// never below 1. Each item of a $batch is costed on its own.
/// </summary>
internal static class ResourceUnitCost
{
    public static int Of(GraphRequest request, RouteMatch route)
    {
        if (route.IsWrite || request.Method != "GET")
        {
            return 1;
        }

        var cost = route.ResourceUnits;
        if (request.GetQuery("$select") is { Length: > 0 })
        {
            cost--;
        }

        if (int.TryParse(request.GetQuery("$top"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var top) && top < 20)
        {
            cost--;
        }

        if (request.GetQuery("$expand") is { Length: > 0 })
        {
            cost++;
        }

        return Math.Max(1, cost);
    }
}
