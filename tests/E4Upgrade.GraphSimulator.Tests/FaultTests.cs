using System.Net;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task SameSeed_SameFaultSequence_With500_503_504AndDrops()
    {
        var first = await OutcomesAsync(seed: 42);
        var second = await OutcomesAsync(seed: 42);
        var other = await OutcomesAsync(seed: 43);

        Assert.Equal(first.Outcomes, second.Outcomes);
        Assert.NotEqual(first.Outcomes, other.Outcomes);
        Assert.Contains("200", first.Outcomes);
        Assert.True(first.Outcomes.Distinct().Count(o => o != "200") >= 3, string.Join(",", first.Outcomes));
        Assert.All(first.Outcomes, o => Assert.Contains(o, new[] { "200", "500", "503", "504", "drop" }));
        Assert.Equal(first.Outcomes.Count(o => o != "200"), first.Faults);
    }

    [Fact]
    public async Task DroppedConnection_AbortsTheHttpRequest()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "5", "--fault-rate", "1", "--seed", "5");
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", simulator.Token);
        var dropped = 0;
        for (var i = 0; i < 40 && dropped == 0; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(simulator.GraphBaseUrl + "/users"));
                Assert.Contains((int)response.StatusCode, new[] { 500, 503, 504 });
            }
            catch (HttpRequestException)
            {
                dropped++;
            }
        }

        Assert.Equal(1, dropped);
        Assert.Equal(1, (await simulator.GetStatsAsync()).DroppedConnections);
    }

    [Fact]
    public async Task TimedOutAndDroppedWrites_AreSometimesAppliedBeforeFailing_OtherFaultsNever()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "120", "--fault-rate", "1", "--seed", "9");
        var client = Client(simulator);
        var mayHaveHappened = new HashSet<string>();
        var didNotHappen = new HashSet<string>();
        var plainUsers = Enumerable.Range(1, 120).Where(n => n % 20 != 11 && n % 100 != 7).Select(Upn).ToList();
        foreach (var upn in plainUsers)
        {
            try
            {
                await client.Users[upn].AssignLicense.PostAsync(Swap(O365E3, E4));
                Assert.Fail("Every call should fault at --fault-rate 1.");
            }
            catch (ODataError error) when (error.ResponseStatusCode is 500 or 503)
            {
                didNotHappen.Add(upn);
            }
            catch (ODataError error) when (error.ResponseStatusCode == 504)
            {
                mayHaveHappened.Add(upn);
            }
            catch (HttpRequestException)
            {
                mayHaveHappened.Add(upn);
            }
        }

        var changed = new HashSet<string>();
        using var tenant = await simulator.GetTenantAsync();
        foreach (var user in tenant.RootElement.GetProperty("users").EnumerateArray())
        {
            var skus = user.GetProperty("assignedLicenses").EnumerateArray().Select(l => Guid.Parse(l.GetProperty("skuId").GetString()!)).ToList();
            if (skus.Contains(O365E3))
            {
                Assert.DoesNotContain(E4, skus);
                changed.Add(user.GetProperty("userPrincipalName").GetString()!);
            }
        }

        Assert.Empty(changed.Intersect(didNotHappen));
        Assert.NotEmpty(changed);
        Assert.NotEmpty(mayHaveHappened.Except(changed));
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(changed.Count, stats.LicenseWrites);
        Assert.Equal(plainUsers.Count, stats.Faults);
    }

    [Fact]
    public async Task BatchItems_FaultIndividually_InsideA200Batch_AndTheRateCanChangeAtRunTime()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "30", "--fault-rate", "0.3", "--seed", "3");
        var client = Client(simulator);
        var faultedItems = 0;
        for (var attempt = 0; attempt < 20 && faultedItems == 0; attempt++)
        {
            var batch = new BatchRequestContentCollection(client);
            for (var n = 1; n <= 10; n++)
            {
                await batch.AddBatchRequestStepAsync(client.Users[Upn(n)].ToGetRequestInformation(), n.ToString());
            }

            try
            {
                var codes = await (await client.Batch.PostAsync(batch)).GetResponsesStatusCodesAsync();
                faultedItems = codes.Values.Count(c => c is HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout);
                Assert.All(codes.Values, c => Assert.Contains(c, new[] { HttpStatusCode.OK, HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout }));
            }
            catch (Exception ex) when (ex is ServiceException or ODataError or HttpRequestException)
            {
                // The whole batch request faulted; try another.
            }
        }

        Assert.True(faultedItems > 0);

        await simulator.SetFaultRateAsync(0);
        for (var i = 0; i < 20; i++)
        {
            Assert.NotNull(await client.Users[Upn(1)].GetAsync());
        }

        Assert.Equal(0, (await simulator.GetStatsAsync()).FaultRate);
    }

    private static async Task<(List<string> Outcomes, long Faults)> OutcomesAsync(int seed)
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "5", "--fault-rate", "0.4", "--seed", seed.ToString());
        var client = Client(simulator);
        var outcomes = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            try
            {
                await client.Users[Upn(1)].GetAsync();
                outcomes.Add("200");
            }
            catch (ODataError error)
            {
                outcomes.Add(error.ResponseStatusCode.ToString());
            }
            catch (HttpRequestException)
            {
                outcomes.Add("drop");
            }
        }

        return (outcomes, (await simulator.GetStatsAsync()).Faults);
    }
}
