using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

/// <summary>Details checked against Microsoft's pages and example responses (README: "Graph details").</summary>
public sealed class FidelityTests
{
    [Fact]
    public async Task ADALLOM_S_O365_applies_to_the_company_as_in_Microsofts_subscribedSkus_example_and_every_other_plan_to_users()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "10");
        var client = Client(simulator);

        var skus = (await client.SubscribedSkus.GetAsync())!.Value!;

        var e5 = skus.Single(s => s.SkuId == O365E5);
        Assert.Equal("User", e5.AppliesTo);
        Assert.Equal("Company", e5.ServicePlans!.Single(p => p.ServicePlanName == "ADALLOM_S_O365").AppliesTo);
        Assert.All(skus.SelectMany(s => s.ServicePlans!).Where(p => p.ServicePlanName != "ADALLOM_S_O365"), p => Assert.Equal("User", p.AppliesTo));
    }

    [Fact]
    public async Task An_errors_request_id_is_the_request_id_header_and_the_client_request_id_is_echoed()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "10");
        var client = Client(simulator);
        var clientRequestId = Guid.NewGuid().ToString();

        var error = await ErrorFrom(() => client.Users["nobody@contoso.onmicrosoft.com"].GetAsync(r => r.Headers.Add("client-request-id", clientRequestId)));

        Assert.Equal(404, error.ResponseStatusCode);
        Assert.Equal(error.ResponseHeaders["request-id"].Single(), error.Error!.InnerError!.RequestId);
        Assert.Equal(clientRequestId, error.ResponseHeaders["client-request-id"].Single());
        Assert.Equal(clientRequestId, error.Error.InnerError.ClientRequestId);
    }

    [Fact]
    public async Task A_batch_with_an_absolute_url_is_refused_whole_and_a_url_repeating_the_version_is_not_found()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "10");
        var client = Client(simulator);

        var absolute = await ErrorFrom(() => BatchTests.RawBatchAsync(client, new
        {
            requests = new object[]
            {
                new { id = "1", method = "GET", url = $"{simulator.GraphBaseUrl}/users/{Upn(1)}" },
                new { id = "2", method = "GET", url = $"/users/{Upn(3)}" },
            },
        }));
        Assert.Equal(400, absolute.ResponseStatusCode);
        Assert.Equal("Invalid batch payload format.", absolute.Error!.Message);
        Assert.Equal(0, (await simulator.GetStatsAsync()).BatchItems);

        using var versioned = await BatchTests.RawBatchAsync(client, new { requests = new object[] { new { id = "1", method = "GET", url = $"/v1.0/users/{Upn(1)}" } } });
        var item = versioned.RootElement.GetProperty("responses")[0];
        Assert.Equal(400, item.GetProperty("status").GetInt32());
        Assert.Equal("Resource not found for the segment 'v1.0'.", item.GetProperty("body").GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task SubscribedSkus_refuses_filter_and_takes_select()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "10");
        var client = Client(simulator);

        var filtered = await ErrorFrom(() => client.SubscribedSkus.WithUrl($"{simulator.GraphBaseUrl}/subscribedSkus?$filter=skuPartNumber eq 'ENTERPRISEPREMIUM'").GetAsync());
        var selected = (await client.SubscribedSkus.GetAsync(r => r.QueryParameters.Select = new[] { "skuId", "skuPartNumber" }))!.Value!;

        Assert.Equal((400, "Request_UnsupportedQuery"), (filtered.ResponseStatusCode, filtered.Error!.Code));
        Assert.Equal("Filtered searches against this resource are not supported.", filtered.Error.Message);
        Assert.Equal(5, selected.Count);
        Assert.All(selected, s => Assert.Null(s.ServicePlans));
    }
}
