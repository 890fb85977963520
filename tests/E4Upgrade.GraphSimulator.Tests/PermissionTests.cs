using E4Upgrade.GraphSimulator.Graph;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

/// <summary>Each endpoint answers 403 Authorization_RequestDenied unless the token's roles (app) or scp (delegated) hold one of the permissions its Graph page lists.</summary>
public sealed class PermissionTests
{
    /// <summary>One call per endpoint the simulator serves, with the permissions its page accepts.</summary>
    public static TheoryData<string> Endpoints() => new()
    {
        "subscribedSkus", "subscriptions", "organization", "users", "user", "patchUser", "licenseDetails",
        "assignUserLicense", "reprocess", "groups", "group", "members", "membersWithLicenseErrors", "assignGroupLicense",
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AnAppTokenWithoutAnyListedRole_Gets403_AndOneWithTheLeastPrivilegedRoleIsServed(string endpoint)
    {
        var accepted = Accepted(endpoint).Application;
        var others = EndpointPermissions.All.SelectMany(p => p.Application).Distinct().Where(p => !accepted.Contains(p)).ToArray();
        var lacking = TestTokens.App(others);
        var holding = TestTokens.App(accepted[0]);
        await using var simulator = await SimulatorHost.StartAsync("--users", "40", "--token", "admin", "--token", lacking, "--token", holding);
        var groupId = (await Client(simulator).Groups.GetAsync())!.Value![0].Id!;

        var denied = await ErrorFrom(() => Call(Client(simulator, lacking), endpoint, groupId));
        Assert.Equal(403, denied.ResponseStatusCode);
        Assert.Equal("Authorization_RequestDenied", denied.Error!.Code);
        Assert.Equal("Insufficient privileges to complete the operation.", denied.Error.Message);

        await Call(Client(simulator, holding), endpoint, groupId);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ADelegatedTokenIsJudgedByItsScopes(string endpoint)
    {
        var accepted = Accepted(endpoint).Delegated;
        var withoutScope = TestTokens.Delegated("openid", "profile", "offline_access");
        var withScope = TestTokens.Delegated("openid", accepted[0]);
        await using var simulator = await SimulatorHost.StartAsync("--users", "40", "--token", "admin", "--token", withoutScope, "--token", withScope);
        var groupId = (await Client(simulator).Groups.GetAsync())!.Value![0].Id!;

        Assert.Equal(403, (await ErrorFrom(() => Call(Client(simulator, withoutScope), endpoint, groupId))).ResponseStatusCode);
        await Call(Client(simulator, withScope), endpoint, groupId);
    }

    [Fact]
    public async Task APermissionOnlyDelegatedTokensMayUse_DoesNotServeAnAppToken()
    {
        var app = TestTokens.App("User.ReadBasic.All");
        var delegated = TestTokens.Delegated("User.ReadBasic.All");
        await using var simulator = await SimulatorHost.StartAsync("--users", "5", "--token", app, "--token", delegated);

        Assert.Equal(403, (await ErrorFrom(() => Client(simulator, app).Users.GetAsync())).ResponseStatusCode);
        Assert.NotNull(await Client(simulator, delegated).Users.GetAsync());
    }

    [Fact]
    public async Task InsideBatch_EachItemIsJudgedAlone()
    {
        var reader = TestTokens.App("User.Read.All", "Organization.Read.All");
        await using var simulator = await SimulatorHost.StartAsync("--users", "5", "--token", reader);
        var client = Client(simulator, reader);
        var batch = new BatchRequestContentCollection(client);
        var read = await batch.AddBatchRequestStepAsync(client.Users[Upn(1)].ToGetRequestInformation());
        var write = await batch.AddBatchRequestStepAsync(client.Users[Upn(1)].AssignLicense.ToPostRequestInformation(Swap(O365E3, E4)));

        var answer = await client.Batch.PostAsync(batch);
        var statuses = await answer.GetResponsesStatusCodesAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, statuses[read]);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, statuses[write]);
        Assert.Equal(0, (await simulator.GetStatsAsync()).LicenseWrites);
    }

    [Fact]
    public async Task APlainTokenOrAJwtNamingNoPermissions_KeepsFullRights_AndEmptyRolesGrantNothing()
    {
        var noRoles = TestTokens.App();
        var tidOnly = TestTokens.TenantOnly();
        await using var simulator = await SimulatorHost.StartAsync("--users", "5", "--token", "plain", "--token", noRoles, "--token", tidOnly);

        Assert.NotNull(await Client(simulator, "plain").SubscribedSkus.GetAsync());
        Assert.NotNull(await Client(simulator, tidOnly).SubscribedSkus.GetAsync());
        Assert.Equal(403, (await ErrorFrom(() => Client(simulator, noRoles).SubscribedSkus.GetAsync())).ResponseStatusCode);
    }

    private static EndpointPermissions Accepted(string endpoint) => endpoint switch
    {
        "subscribedSkus" => EndpointPermissions.SubscribedSkus,
        "subscriptions" => EndpointPermissions.Subscriptions,
        "organization" => EndpointPermissions.Organization,
        "users" or "user" => EndpointPermissions.ReadUsers,
        "patchUser" => EndpointPermissions.UpdateUser,
        "licenseDetails" => EndpointPermissions.LicenseDetails,
        "assignUserLicense" => EndpointPermissions.AssignUserLicense,
        "reprocess" => EndpointPermissions.ReprocessUser,
        "groups" or "group" => EndpointPermissions.ReadGroups,
        "members" or "membersWithLicenseErrors" => EndpointPermissions.GroupMembers,
        "assignGroupLicense" => EndpointPermissions.AssignGroupLicense,
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
    };

    private static Task Call(GraphServiceClient client, string endpoint, string groupId) => endpoint switch
    {
        "subscribedSkus" => client.SubscribedSkus.GetAsync(),
        "subscriptions" => client.Directory.Subscriptions.GetAsync(),
        "organization" => client.Organization.GetAsync(),
        "users" => client.Users.GetAsync(),
        "user" => client.Users[Upn(1)].GetAsync(),
        "patchUser" => client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" }),
        "licenseDetails" => client.Users[Upn(1)].LicenseDetails.GetAsync(),
        "assignUserLicense" => client.Users[Upn(1)].AssignLicense.PostAsync(Swap(O365E3, E4)),
        "reprocess" => client.Users[Upn(1)].ReprocessLicenseAssignment.PostAsync(),
        "groups" => client.Groups.GetAsync(),
        "group" => client.Groups[groupId].GetAsync(),
        "members" => client.Groups[groupId].Members.GetAsync(),
        "membersWithLicenseErrors" => client.Groups[groupId].MembersWithLicenseErrors.GetAsync(),
        "assignGroupLicense" => client.Groups[groupId].AssignLicense.PostAsync(new Microsoft.Graph.Groups.Item.AssignLicense.AssignLicensePostRequestBody
        {
            AddLicenses = new List<AssignedLicense> { new() { SkuId = O365E5, DisabledPlans = new List<Guid?>() } },
            RemoveLicenses = new List<Guid?>(),
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
    };
}
