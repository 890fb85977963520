using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class UserQueryTests
{
    [Fact]
    public async Task Users_DefaultPageIs100_AndNextLinkWalksTheWholeTenant()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "250");
        var client = Client(simulator);

        var first = await client.Users.GetAsync();
        Assert.Equal(100, first!.Value!.Count);
        Assert.NotNull(first.OdataNextLink);
        Assert.Null(first.Value[0].AssignedLicenses); // not a default property, as in Graph

        var ids = new List<string>();
        var iterator = PageIterator<User, UserCollectionResponse>.CreatePageIterator(client, first, user => { ids.Add(user.Id!); return true; });
        await iterator.IterateAsync();
        Assert.Equal(250, ids.Count);
        Assert.Equal(250, ids.Distinct().Count());
    }

    [Fact]
    public async Task Users_FilterByAssignedSku_WithSelectAndTop_ReturnsExactlyTheHolders()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "300");
        var client = Client(simulator);

        var holders = new List<User>();
        var page = await client.Users.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"assignedLicenses/any(x:x/skuId eq {E4})";
            r.QueryParameters.Select = new[] { "id", "userPrincipalName", "usageLocation", "assignedLicenses", "licenseAssignmentStates" };
            r.QueryParameters.Top = 120;
        });
        var pages = 0;
        await PageIterator<User, UserCollectionResponse>.CreatePageIterator(client, page!, u => { holders.Add(u); return true; }, r => { pages++; return r; }).IterateAsync();

        Assert.Equal(300, holders.Count); // every generated user holds E4, directly or through a group
        Assert.Equal(2, pages); // 120 + 120 + 60: two follow-up requests
        Assert.All(holders, u => Assert.Contains(u.AssignedLicenses!, l => l.SkuId == E4));
        var groupLicensed = holders.Where(u => u.LicenseAssignmentStates!.Any(s => s.AssignedByGroup is not null)).ToList();
        Assert.Equal(15, groupLicensed.Count); // users 11, 31, 51 ... (5%)
        Assert.All(groupLicensed, u => Assert.DoesNotContain(u.LicenseAssignmentStates!, s => s.AssignedByGroup is null));

        var none = await client.Users.GetAsync(r => r.QueryParameters.Filter = $"assignedLicenses/any(x:x/skuId eq {O365E5})");
        Assert.Empty(none!.Value!);
        Assert.Null(none.OdataNextLink);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(0)]
    public async Task Users_TopOutsideOneTo999_Is400UnsupportedQuery(int top)
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "5");
        var error = await ErrorFrom(() => Client(simulator).Users.GetAsync(r => r.QueryParameters.Top = top));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("Request_UnsupportedQuery", error.Error!.Code);
        Assert.Equal($"Invalid page size specified: '{top}'. Must be between 1 and 999 inclusive.", error.Error.Message);
        Assert.Matches("^[0-9a-f-]{36}$", error.Error.InnerError!.RequestId);
        Assert.NotNull(error.Error.InnerError.Date);
    }

    [Fact]
    public async Task Users_Top999AndUnsupportedFilter()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "5");
        var client = Client(simulator);

        var page = await client.Users.GetAsync(r => r.QueryParameters.Top = 999);
        Assert.Equal(5, page!.Value!.Count);
        Assert.Null(page.OdataNextLink);

        var error = await ErrorFrom(() => client.Users.GetAsync(r => r.QueryParameters.Filter = "startswith(displayName,'a')"));
        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("Request_UnsupportedQuery", error.Error!.Code);
    }

    [Fact]
    public async Task UserByUpn_WithApostropheAndNonAsciiCharacters_AndById()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "10");
        var client = Client(simulator);

        var apostrophe = await UserByUpn(client, "o'brien.user00002@contoso.onmicrosoft.com");
        Assert.Equal("o'brien.user00002@contoso.onmicrosoft.com", apostrophe.UserPrincipalName);
        var nonAscii = await UserByUpn(client, "zoë.müller00005@contoso.onmicrosoft.com");
        Assert.Equal("zoë.müller00005@contoso.onmicrosoft.com", nonAscii.UserPrincipalName);
        var byId = await client.Users[nonAscii.Id].GetAsync();
        Assert.Equal(nonAscii.UserPrincipalName, byId!.UserPrincipalName);

        var missing = await ErrorFrom(() => client.Users["nobody@contoso.onmicrosoft.com"].GetAsync());
        Assert.Equal(404, missing.ResponseStatusCode);
        Assert.Equal("Request_ResourceNotFound", missing.Error!.Code);
        Assert.Equal("Resource 'nobody@contoso.onmicrosoft.com' does not exist or one of its queried reference-property objects are not present.", missing.Error.Message);
    }

    [Fact]
    public async Task PatchUsageLocation_Is204_AndIsVisibleAfterwards()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "10");
        var client = Client(simulator);
        var user = await UserByUpn(client, Upn(7)); // every 100th user from 7 has no usage location
        Assert.Null(user.UsageLocation);

        var returned = await client.Users[user.Id].PatchAsync(new User { UsageLocation = "NL" });
        Assert.Null(returned); // 204 No Content
        Assert.Equal("NL", (await UserByUpn(client, Upn(7))).UsageLocation);

        var bad = await ErrorFrom(() => client.Users[user.Id].PatchAsync(new User { UsageLocation = "Netherlands" }));
        Assert.Equal(400, bad.ResponseStatusCode);
        Assert.Equal("Request_BadRequest", bad.Error!.Code);
    }

    [Fact]
    public async Task LicenseDetails_SubscribedSkus_AndSubscriptions()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "40", "--target-seats", "7");
        var client = Client(simulator);

        var details = await client.Users[Upn(3)].LicenseDetails.GetAsync(); // user 3 has disabled E4 plans
        var e4 = Assert.Single(details!.Value!);
        Assert.Equal("ENTERPRISEWITHSCAL", e4.SkuPartNumber);
        Assert.Equal(17, e4.ServicePlans!.Count);
        Assert.Contains(e4.ServicePlans, p => p.ProvisioningStatus == "Disabled");

        var skus = (await client.SubscribedSkus.GetAsync())!.Value!;
        Assert.Equal(5, skus.Count);
        var e4Sku = skus.Single(s => s.SkuId == E4);
        Assert.Equal(40, e4Sku.ConsumedUnits);
        Assert.Equal(40, e4Sku.PrepaidUnits!.Enabled);
        Assert.All(skus.Where(s => s.SkuId != E4), s => Assert.Equal(7, s.PrepaidUnits!.Enabled));

        var subscriptions = (await client.Directory.Subscriptions.GetAsync())!.Value!;
        Assert.Equal(5, subscriptions.Count);
        Assert.All(skus, s => Assert.Contains(subscriptions, sub => s.SubscriptionIds!.Contains(sub.CommerceSubscriptionId!)));
    }
}
