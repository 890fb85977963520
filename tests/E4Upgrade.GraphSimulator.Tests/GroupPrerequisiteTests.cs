using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;
using static E4Upgrade.GraphSimulator.Tests.Support.TenantFiles;
using GroupAssign = Microsoft.Graph.Groups.Item.AssignLicense.AssignLicensePostRequestBody;

namespace E4Upgrade.GraphSimulator.Tests;

/// <summary>
/// Group assignLicense refuses at once (400, nothing changes) when the group would hold an add-on plan without its
/// prerequisite in the same group (entra-docs licensing-groups-resolve-problems.md): members' own licenses do not help.
/// </summary>
public sealed class GroupPrerequisiteTests
{
    private static readonly Guid TeamsPhone = SkuId("MCOEV");
    private static readonly Guid GroupA = Guid.Parse("00000000-0000-4000-9000-000000000001");

    private static JsonObject Tenant() => TenantJson(
        new JsonArray(Sku("ENTERPRISEWITHSCAL"), Sku("SPE_E5"), Sku("MCOEV")),
        new JsonArray(User(1, "US", License(SkuId("ENTERPRISEWITHSCAL")))),
        new JsonArray(new JsonObject
        {
            ["id"] = GroupA.ToString(),
            ["displayName"] = "Phones",
            ["assignedLicenses"] = new JsonArray(),
            ["members"] = new JsonArray(UserId(1).ToString()),
        }));

    [Fact]
    public async Task AnAddOnWithoutItsPrerequisiteInTheSameGroup_Is400DependsOn_AndTheGroupIsUnchanged()
    {
        await using var simulator = await TenantFiles.StartAsync(Tenant(), "--licensing-rules", "on", "--group-start-delay-ms", "0");
        var client = Client(simulator);

        var refused = await ErrorFrom(() => client.Groups[GroupA.ToString()].AssignLicense.PostAsync(Add(TeamsPhone)));

        Assert.Equal(400, refused.ResponseStatusCode);
        Assert.Equal("Request_BadRequest", refused.Error!.Code);
        Assert.Contains($"service plan {Plan("MCOEV")} depends on the service plan(s) {Plan("TEAMS1")},{Plan("MCOSTANDARD")}", refused.Error.Message);
        var group = await client.Groups[GroupA.ToString()].GetAsync(r => r.QueryParameters.Select = new[] { "assignedLicenses" });
        Assert.Empty(group!.AssignedLicenses!);
        Assert.Equal(1, (await simulator.GetStatsAsync()).DependencyViolations);
    }

    [Fact]
    public async Task WithThePrerequisiteInTheSameGroup_ItIsAccepted()
    {
        await using var simulator = await TenantFiles.StartAsync(Tenant(), "--licensing-rules", "on", "--group-start-delay-ms", "0");
        var client = Client(simulator);

        await client.Groups[GroupA.ToString()].AssignLicense.PostAsync(Add(SkuId("SPE_E5"), TeamsPhone));

        var group = await client.Groups[GroupA.ToString()].GetAsync(r => r.QueryParameters.Select = new[] { "assignedLicenses" });
        Assert.Equal(2, group!.AssignedLicenses!.Count);
    }

    [Fact]
    public async Task WithoutTheLicensingRules_TheGroupTakesIt()
    {
        await using var simulator = await TenantFiles.StartAsync(Tenant(), "--group-start-delay-ms", "0");

        await Client(simulator).Groups[GroupA.ToString()].AssignLicense.PostAsync(Add(TeamsPhone));

        Assert.Equal(0, (await simulator.GetStatsAsync()).DependencyViolations);
    }

    private static GroupAssign Add(params Guid[] skus) => new()
    {
        AddLicenses = skus.Select(s => new AssignedLicense { SkuId = s, DisabledPlans = new List<Guid?>() }).ToList(),
        RemoveLicenses = new List<Guid?>(),
    };
}
