using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Licensing;

namespace E4Upgrade.GraphSimulator.Tests.Support;

/// <summary>Starts simulators from tenant files written on the fly, and builds the pieces of such files.</summary>
internal static class TenantFiles
{
    public static readonly Guid O365E1 = Guid.Parse("18181a46-0d4e-45cd-891e-60aabd171b4e");
    public static readonly Guid E5NoTeams = Guid.Parse("18a4bd3f-0b5b-4887-b04f-61dd0ee15f5e");

    /// <summary>The simulator reads the file once at start, so the file is deleted as soon as it runs.</summary>
    public static async Task<RunningSimulator> StartAsync(JsonObject tenant, params string[] args)
    {
        var file = Path.Combine(Path.GetTempPath(), $"tenant-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, tenant.ToJsonString());
        try
        {
            return await SimulatorHost.StartAsync(new[] { "--tenant", file }.Concat(args).ToArray(), CancellationToken.None);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static JsonObject TenantJson(JsonArray skus, JsonArray users, JsonArray? groups = null) => new()
    {
        ["subscribedSkus"] = skus,
        ["users"] = users,
        ["groups"] = groups ?? new JsonArray(),
    };

    /// <summary>A short-form subscribedSku: named by part number, seats only; plans come from the catalog.</summary>
    public static JsonObject Sku(string partNumber, int seats = 10) => new() { ["skuPartNumber"] = partNumber, ["seats"] = seats };

    public static JsonObject User(int n, string? usageLocation = "US", params JsonObject[] licenses) => new()
    {
        ["id"] = UserId(n).ToString(),
        ["userPrincipalName"] = $"person{n}@contoso.onmicrosoft.com",
        ["usageLocation"] = usageLocation,
        ["assignedLicenses"] = new JsonArray(licenses.Cast<JsonNode?>().ToArray()),
    };

    public static Guid UserId(int n) => Guid.Parse($"00000000-0000-4000-8000-{n:D12}");

    public static string UserKey(int n) => $"person{n}@contoso.onmicrosoft.com";

    public static JsonObject License(Guid skuId, params string[] disabledPlans) => new()
    {
        ["skuId"] = skuId.ToString(),
        ["disabledPlans"] = new JsonArray(disabledPlans.Select(p => (JsonNode?)Plan(p).ToString()).ToArray()),
    };

    public static Guid Plan(string name) => SkuCatalog.Shared.PlanId(name) ?? throw new ArgumentException(name);

    public static Guid SkuId(string partNumber) => SkuCatalog.Shared.FindByPartNumber(partNumber).Single().SkuId!.Value;
}
