using System.Diagnostics;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class ThrottlingTests
{
    [Fact]
    public async Task Writes_SendLimitPercentageFrom80Percent_Then429WithRetryAfterAndScope_ReadsAreNotThrottled()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--write-limit", "10/15000");
        var client = Client(simulator);
        var percentages = new List<string?>();
        for (var i = 0; i < 10; i++)
        {
            var inspect = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
            await client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" }, r => r.Options.Add(inspect));
            percentages.Add(inspect.ResponseHeaders.TryGetValue("x-ms-throttle-limit-percentage", out var values) ? values.Single() : null);
        }

        Assert.All(percentages.Take(7), Assert.Null);
        Assert.Equal(new[] { "0.8", "0.9", "1.0" }, percentages.Skip(7));

        var error = await ErrorFrom(() => client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" }));
        Assert.Equal(429, error.ResponseStatusCode);
        Assert.Equal("TooManyRequests", error.Error!.Code);
        Assert.Equal("Please retry again later.", error.Error.Message);
        Assert.Equal("1500", error.ResponseHeaders["Retry-After"].Single()); // 15000 s / 10 writes until the next token
        Assert.StartsWith("Tenant_Application/Write/", error.ResponseHeaders["x-ms-throttle-scope"].Single());
        Assert.Equal("WriteLimitExceeded", error.ResponseHeaders["x-ms-throttle-information"].Single());
        Assert.NotNull(error.ResponseHeaders["x-ms-throttle-limit-percentage"].Single());

        Assert.NotNull(await client.Users[Upn(1)].GetAsync());
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(10, stats.Writes);
        Assert.Equal(1, stats.Throttled);
        Assert.Equal(1, stats.WritesThrottled);
    }

    [Theory]
    [InlineData("0", "5", "5")]
    [InlineData("1", "10", "15")]
    public async Task RefusedWriteCost_MakesEachRefusedWriteDelayTheNextToken(string cost, string firstRetryAfter, string secondRetryAfter)
    {
        // 2 writes per 10 s: a token every 5 s. With a cost of 1, each refusal pushes the next token 5 s further away.
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--write-limit", "2/10", "--refused-write-cost", cost);
        var client = Client(simulator);
        await client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" });
        await client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" });

        var first = await ErrorFrom(() => client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" }));
        var second = await ErrorFrom(() => client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" }));

        Assert.Equal(firstRetryAfter, first.ResponseHeaders["Retry-After"].Single());
        Assert.Equal(secondRetryAfter, second.ResponseHeaders["Retry-After"].Single());
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(2, stats.Writes);
        Assert.Equal(cost == "0" ? 0 : 2, stats.RefusedWritesCharged);
    }

    [Fact]
    public async Task TimeScale_DividesRetryAfter_AndTheRefill()
    {
        // 1 write per 150 s, 100 times faster: a token every 1.5 s, announced as Retry-After "1.5".
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--write-limit", "1/150", "--time-scale", "100");
        var client = Client(simulator);
        var sinceFirstWrite = Stopwatch.StartNew();
        await client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" });

        var error = await ErrorFrom(() => client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" }));
        var elapsed = sinceFirstWrite.Elapsed.TotalSeconds;
        var retryAfter = double.Parse(error.ResponseHeaders["Retry-After"].Single(), System.Globalization.CultureInfo.InvariantCulture);
        // 150 Graph seconds minus the time since the first write, rounded up to whole Graph seconds (0.01 s here).
        Assert.InRange(retryAfter, Math.Max(0.01, 1.5 - elapsed), 1.5);
        Assert.Equal(Math.Round(retryAfter, 2), retryAfter);

        await Task.Delay(TimeSpan.FromSeconds(retryAfter));
        await client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" });
    }

    [Fact]
    public async Task TenantWideLimit_ThrottlesWithTenantScope()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--tenant-write-limit", "2/300");
        var client = Client(simulator);
        await client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" });
        await client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" });

        var error = await ErrorFrom(() => client.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" }));

        Assert.Equal(429, error.ResponseStatusCode);
        Assert.Equal("150", error.ResponseHeaders["Retry-After"].Single());
        Assert.StartsWith("Tenant/Write/", error.ResponseHeaders["x-ms-throttle-scope"].Single());
    }

    [Fact]
    public async Task TheSdksOwnRetryHandler_HonoursTheIntegerRetryAfter()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--write-limit", "1/1");
        var client = Client(simulator, withRetry: true);
        await client.Users[Upn(1)].AssignLicense.PostAsync(Swap(O365E3, E4));

        var watch = Stopwatch.StartNew();
        await client.Users[Upn(3)].AssignLicense.PostAsync(Swap(O365E3, E4));

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {watch.Elapsed}");
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(1, stats.Throttled);
        Assert.Equal(2, stats.LicenseWrites);
        Assert.Equal(0, stats.EarlyRetries);
    }
}
