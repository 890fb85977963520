using System.Text.Json;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.AssignLicense;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class AssignLicenseTests
{
    [Fact]
    public async Task Swap_Returns200User_ShapedLikeGraphsExample_AndMovesOneSeat()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20");
        var client = Client(simulator);
        var user = await UserByUpn(client, Upn(1));

        var result = await client.Users[user.Id].AssignLicense.PostAsync(Swap(O365E5, E4));

        var license = Assert.Single(result!.AssignedLicenses!);
        Assert.Equal(O365E5, license.SkuId);
        Assert.Empty(license.DisabledPlans!);
        Assert.Equal(user.Id, result.Id);
        Assert.True(result.AccountEnabled);

        // Same top-level and assignedLicense property names as Microsoft's example response.
        using var example = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "user-assignlicense.json")));
        var exampleBody = example.RootElement.GetProperty("response").GetProperty("body");
        using var raw = JsonDocument.Parse(await RawAssignAsync(simulator, Upn(2)));
        foreach (var name in new[] { "accountEnabled", "assignedLicenses" })
        {
            Assert.Equal(exampleBody.GetProperty(name).ValueKind, raw.RootElement.GetProperty(name).ValueKind);
        }

        var exampleLicenseKeys = exampleBody.GetProperty("assignedLicenses")[0].EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(exampleLicenseKeys, raw.RootElement.GetProperty("assignedLicenses")[0].EnumerateObject().Select(p => p.Name).Order());

        var skus = (await client.SubscribedSkus.GetAsync())!.Value!;
        Assert.Equal(18, skus.Single(s => s.SkuId == E4).ConsumedUnits);
        Assert.Equal(2, skus.Single(s => s.SkuId == O365E5).ConsumedUnits);
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(2, stats.LicenseWrites);
        Assert.Equal(0, stats.UsersEverUnlicensed);
    }

    [Fact]
    public async Task EveryDocumentedError_HasGraphsStatusCodeAndMessage_AndChangesNothing()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--target-seats", "1");
        var client = Client(simulator);
        var plain = (await UserByUpn(client, Upn(1))).Id!;
        var noLocation = (await UserByUpn(client, Upn(7))).Id!;
        var viaGroup = (await UserByUpn(client, Upn(11))).Id!;
        var unknownSku = Guid.Parse("11111111-2222-3333-4444-555555555555");
        var foreignPlan = Guid.Parse("8a256a2b-b617-496d-b51b-e76466e88db0"); // MFA_PREMIUM: in M365 E3/E5, not O365 E5

        async Task Expect(string user, AssignLicensePostRequestBody body, int status, string code, string message)
        {
            var error = await ErrorFrom(() => client.Users[user].AssignLicense.PostAsync(body));
            Assert.Equal(status, error.ResponseStatusCode);
            Assert.Equal(code, error.Error!.Code);
            Assert.Equal(message, error.Error.Message);
        }

        await Expect(plain, new AssignLicensePostRequestBody { RemoveLicenses = new List<Guid?> { E4 } }, 400, "Request_BadRequest",
            "One or more parameters of the operation 'assignLicense' are missing from the request payload. The missing parameters are: addLicenses.");
        await Expect(plain, new AssignLicensePostRequestBody { AddLicenses = new List<AssignedLicense>(), RemoveLicenses = new List<Guid?>() }, 400, "Request_BadRequest",
            "No license changes provided. At least one license to add or remove must be specified.");
        await Expect(plain, Swap(unknownSku, E4), 400, "Request_BadRequest",
            $"License {unknownSku} does not correspond to a valid company License.");
        await Expect(plain, Swap(O365E5, E4, foreignPlan), 400, "Request_BadRequest",
            $"The service plan {foreignPlan} does not belong to the license {O365E5}. Remove it from disabledPlans.");
        await Expect(noLocation, Swap(O365E5, E4), 400, "Request_BadRequest",
            "License assignment cannot be done for user with invalid usage location.");
        await Expect(viaGroup, Swap(O365E5, E4), 400, "Request_BadRequest",
            "User license is inherited from a group membership and it cannot be removed directly from the user.");
        await Expect(plain, Swap(O365E5, M365E5), 400, "Request_BadRequest", "User does not have a corresponding license.");
        await Expect("ghost@contoso.onmicrosoft.com", Swap(O365E5, E4), 404, "Request_ResourceNotFound",
            "Resource 'ghost@contoso.onmicrosoft.com' does not exist or one of its queried reference-property objects are not present.");

        // One target seat: the first swap takes it, the second finds none.
        await client.Users[plain].AssignLicense.PostAsync(Swap(O365E5, E4));
        var second = (await UserByUpn(client, Upn(2))).Id!;
        await Expect(second, Swap(O365E5, E4), 400, "Request_BadRequest",
            $"Subscription with SKU {O365E5} does not have any available licenses.");

        // Nothing but the one successful swap changed.
        Assert.Equal(E4, Assert.Single((await UserByUpn(client, Upn(2))).AssignedLicenses!).SkuId);
        Assert.Equal(E4, Assert.Single((await UserByUpn(client, Upn(11))).AssignedLicenses!).SkuId);
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(1, stats.LicenseWrites);
        Assert.Equal(0, stats.UsersEverUnlicensed);
    }

    [Fact]
    public async Task AddAndRemoveOfTheSameUser_AreAtomic_WhenTheAddFails()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--target-seats", "0");
        var client = Client(simulator);

        var error = await ErrorFrom(() => client.Users[Upn(1)].AssignLicense.PostAsync(Swap(M365E5, E4)));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal(E4, Assert.Single((await UserByUpn(client, Upn(1))).AssignedLicenses!).SkuId);
    }

    [Fact]
    public async Task RemovingTheLastLicense_CountsTheUserAsEverUnlicensed_AndRepeatWritesAreCounted()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20");
        var client = Client(simulator);
        var user = (await UserByUpn(client, Upn(1))).Id!;

        await client.Users[user].AssignLicense.PostAsync(new AssignLicensePostRequestBody { AddLicenses = new List<AssignedLicense>(), RemoveLicenses = new List<Guid?> { E4 } });
        await client.Users[user].AssignLicense.PostAsync(new AssignLicensePostRequestBody
        {
            AddLicenses = new List<AssignedLicense> { new() { SkuId = O365E3, DisabledPlans = new List<Guid?>() } },
            RemoveLicenses = new List<Guid?>(),
        });
        // The same add again changes nothing: 200, but not a license write.
        await client.Users[user].AssignLicense.PostAsync(new AssignLicensePostRequestBody
        {
            AddLicenses = new List<AssignedLicense> { new() { SkuId = O365E3, DisabledPlans = new List<Guid?>() } },
            RemoveLicenses = new List<Guid?>(),
        });

        var stats = await simulator.GetStatsAsync();
        Assert.Equal(1, stats.UsersEverUnlicensed);
        Assert.Equal(user, Assert.Single(stats.UsersEverUnlicensedIds));
        Assert.Equal(2, stats.LicenseWrites);
        Assert.Equal(1, stats.UsersWithMultipleLicenseWrites);
        Assert.Equal(2, await simulator.GetLicenseWritesAsync(user));
        Assert.Equal(2, (await simulator.GetAllLicenseWritesAsync())[user]);
    }

    private static async Task<string> RawAssignAsync(RunningSimulator simulator, string upn)
    {
        // The SDK drops properties its model lacks; read the same call's JSON through the SDK's request adapter.
        var client = Client(simulator);
        var info = client.Users[upn].AssignLicense.ToPostRequestInformation(Swap(O365E5, E4));
        var stream = await client.RequestAdapter.SendPrimitiveAsync<Stream>(info);
        using var reader = new StreamReader(stream!);
        return await reader.ReadToEndAsync();
    }
}
