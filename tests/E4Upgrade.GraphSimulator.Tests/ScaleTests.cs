using System.Diagnostics;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class ScaleTests
{
    [Fact]
    public async Task HundredThousandUsers_StartInSeconds_AndServeAFullPagedListing()
    {
        var watch = Stopwatch.StartNew();
        await using var simulator = await SimulatorHost.StartAsync("--users", "100000");
        var started = watch.Elapsed;
        Assert.True(started < TimeSpan.FromSeconds(10), $"start took {started}");

        var client = Client(simulator);
        var page = await client.Users.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"assignedLicenses/any(x:x/skuId eq {E4})";
            r.QueryParameters.Select = new[] { "id", "userPrincipalName" };
            r.QueryParameters.Top = 999;
        });
        var count = 0;
        await PageIterator<User, UserCollectionResponse>.CreatePageIterator(client, page!, _ => { count++; return true; }).IterateAsync();
        var listed = watch.Elapsed - started;

        Assert.Equal(100000, count);
        Assert.True(listed < TimeSpan.FromSeconds(15), $"listing took {listed}");
    }
}
