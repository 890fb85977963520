using System.Globalization;
using System.Net;
using E4Upgrade.GraphSimulator.Options;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

/// <summary>Graph's identity resource-unit quota: documented costs, the header on every answer, the limit by tenant size.</summary>
public sealed class ResourceUnitTests
{
    [Fact]
    public async Task EveryAnswer_CarriesTheDocumentedCost_InXMsResourceUnit()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "30");
        var client = Client(simulator);
        var groupId = (await client.Groups.GetAsync())!.Value!.First().Id;

        Assert.Equal("3", await CostOf(o => client.SubscribedSkus.GetAsync(r => r.Options.Add(o))));
        Assert.Equal("2", await CostOf(o => client.SubscribedSkus.GetAsync(r => { r.QueryParameters.Select = new[] { "skuId" }; r.Options.Add(o); })));
        Assert.Equal("2", await CostOf(o => client.Users.GetAsync(r => r.Options.Add(o))));
        Assert.Equal("1", await CostOf(o => client.Users.GetAsync(r => { r.QueryParameters.Select = new[] { "id" }; r.Options.Add(o); })));
        Assert.Equal("1", await CostOf(o => client.Users.GetAsync(r => { r.QueryParameters.Top = 5; r.Options.Add(o); })));
        Assert.Equal("1", await CostOf(o => client.Users.GetAsync(r => { r.QueryParameters.Top = 5; r.QueryParameters.Select = new[] { "id" }; r.Options.Add(o); })));
        Assert.Equal("2", await CostOf(o => client.Users[Upn(1)].GetAsync(r => r.Options.Add(o))));
        Assert.Equal("2", await CostOf(o => client.Users[Upn(1)].LicenseDetails.GetAsync(r => r.Options.Add(o))));
        Assert.Equal("3", await CostOf(o => client.Groups[groupId].Members.GetAsync(r => r.Options.Add(o))));
        Assert.Equal("1", await CostOf(o => client.Groups[groupId].GetAsync(r => r.Options.Add(o)))); // not in Graph's table: 1
        Assert.Equal("1", await CostOf(o => client.Users[Upn(1)].AssignLicense.PostAsync(Swap(O365E3, E4), r => r.Options.Add(o))));

        var notFound = await ErrorFrom(() => client.Users["nobody@contoso.onmicrosoft.com"].GetAsync());
        Assert.Equal("2", notFound.ResponseHeaders["x-ms-resource-unit"].Single());
    }

    [Fact]
    public async Task BatchItems_AreCostedOneByOne()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "30");
        var client = Client(simulator);
        var batch = new BatchRequestContentCollection(client);
        await batch.AddBatchRequestStepAsync(client.SubscribedSkus.ToGetRequestInformation(), "skus");
        await batch.AddBatchRequestStepAsync(client.Users[Upn(1)].ToGetRequestInformation(r => r.QueryParameters.Select = new[] { "id" }), "user");
        await batch.AddBatchRequestStepAsync(client.Users[Upn(3)].AssignLicense.ToPostRequestInformation(Swap(O365E3, E4)), "write");

        var responses = await client.Batch.PostAsync(batch);

        foreach (var (id, cost) in new[] { ("skus", "3"), ("user", "1"), ("write", "1") })
        {
            using var item = await responses.GetResponseByIdAsync(id);
            Assert.Equal(HttpStatusCode.OK, item.StatusCode);
            Assert.Equal(cost, item.Headers.GetValues("x-ms-resource-unit").Single());
        }
    }

    [Fact]
    public async Task ByDefault_ReadsAreNotMetered()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20");
        var client = Client(simulator);
        var batch = new BatchRequestContentCollection(client);
        for (var i = 0; i < 1200; i++)
        {
            await batch.AddBatchRequestStepAsync(client.SubscribedSkus.ToGetRequestInformation());
        }

        var codes = await (await client.Batch.PostAsync(batch)).GetResponsesStatusCodesAsync();

        Assert.All(codes.Values, code => Assert.Equal(HttpStatusCode.OK, code)); // 3,600 RU, above the 3,500 a metered tenant of 20 users gets
        Assert.Equal(0, (await simulator.GetStatsAsync()).Throttled);
    }

    [Theory]
    [InlineData(1, 3500)]
    [InlineData(49, 3500)]
    [InlineData(50, 5000)]
    [InlineData(500, 5000)]
    [InlineData(501, 8000)]
    public void Auto_TakesTheLimitFromTheTenantSize(int users, int resourceUnitsPer10Seconds)
    {
        Assert.Equal(new RateLimit(resourceUnitsPer10Seconds, 10), ResourceUnitLimit.Parse("auto").For(users));
        Assert.Null(ResourceUnitLimit.Parse("off").For(users));
        Assert.Equal(new RateLimit(7, 2), ResourceUnitLimit.Parse("7/2").For(users));
    }

    [Fact]
    public async Task Auto_OnASmallTenant_RefusesBatchItemsPast3500ResourceUnits_EachOnItsOwn()
    {
        // 20 users: 3,500 RU per 10 s. Time runs 10,000 times slower, so the bucket does not refill during the test.
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--resource-unit-limit", "auto", "--time-scale", "0.0001");
        var client = Client(simulator);
        var batch = new BatchRequestContentCollection(client);
        for (var i = 0; i < 1200; i++)
        {
            await batch.AddBatchRequestStepAsync(client.SubscribedSkus.ToGetRequestInformation()); // 3 RU each
        }

        var responses = await client.Batch.PostAsync(batch);
        var codes = await responses.GetResponsesStatusCodesAsync();

        var admitted = codes.Values.Count(c => c == HttpStatusCode.OK);
        Assert.InRange(admitted, 1166, 1167); // 3,500 / 3 = 1,166 (0.035 RU/s refill)
        var throttled = codes.Where(c => c.Value == HttpStatusCode.TooManyRequests).Select(c => c.Key).ToList();
        Assert.Equal(1200 - admitted, throttled.Count);
        using var item = await responses.GetResponseByIdAsync(throttled[0]);
        Assert.Equal("ResourceUnitLimitExceeded", item.Headers.GetValues("x-ms-throttle-information").Single());
        Assert.Equal("3", item.Headers.GetValues("x-ms-resource-unit").Single());
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(throttled.Count, stats.ResourceUnitThrottled);
        Assert.Equal(throttled.Count, stats.Throttled);
        Assert.Equal(0, stats.WritesThrottled);
    }

    [Fact]
    public async Task FixedLimit_SendsThePercentageFrom80Percent_Then429WithScopeAndInformation()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--resource-unit-limit", "10/1000");
        var client = Client(simulator);
        string? tenantId;
        using (var tenant = await simulator.GetTenantAsync())
        {
            tenantId = tenant.RootElement.GetProperty("subscribedSkus")[0].GetProperty("accountId").GetString();
        }

        var percentages = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            var inspect = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
            await client.SubscribedSkus.GetAsync(r => { r.QueryParameters.Select = new[] { "skuId" }; r.Options.Add(inspect); }); // 2 RU
            percentages.Add(inspect.ResponseHeaders.TryGetValue("x-ms-throttle-limit-percentage", out var values) ? values.Single() : null);
        }

        Assert.Equal(new[] { null, null, null, "0.8", "1.0" }, percentages);
        var error = await ErrorFrom(() => client.SubscribedSkus.GetAsync());
        Assert.Equal(429, error.ResponseStatusCode);
        Assert.Equal("ResourceUnitLimitExceeded", error.ResponseHeaders["x-ms-throttle-information"].Single());
        // A GET refused by the resource-unit quota: <Limit> Read (throttling-limits: "Read: Read requests for the scope (GET)").
        Assert.Equal($"Tenant_Application/Read/e4a0c0de-0000-4000-8000-000000000e40/{tenantId}", error.ResponseHeaders["x-ms-throttle-scope"].Single());
        Assert.Equal("300", error.ResponseHeaders["Retry-After"].Single()); // 3 RU at 1 RU per 100 s
        Assert.Equal("3", error.ResponseHeaders["x-ms-resource-unit"].Single());
        Assert.Equal(1, (await simulator.GetStatsAsync()).ResourceUnitThrottled);
    }

    [Fact]
    public async Task AWrite_CostsOneResourceUnitAndOneWrite()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--resource-unit-limit", "3/1000", "--write-limit", "100/100");
        var client = Client(simulator);
        for (var i = 0; i < 3; i++)
        {
            await client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" });
        }

        var error = await ErrorFrom(() => client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" }));

        Assert.Equal("ResourceUnitLimitExceeded", error.ResponseHeaders["x-ms-throttle-information"].Single());
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(3, stats.Writes);
        Assert.Equal(1, stats.ResourceUnitThrottled);
    }

    private static async Task<string> CostOf(Func<HeadersInspectionHandlerOption, Task> call)
    {
        var inspect = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        await call(inspect);
        return inspect.ResponseHeaders["x-ms-resource-unit"].Single();
    }
}
