using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class BatchTests
{
    [Fact]
    public async Task ThrottledItems_Are429InsideA200Batch_EachWithItsOwnRetryAfter()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "30", "--write-limit", "5/150");
        var client = Client(simulator);
        var batch = new BatchRequestContentCollection(client);
        foreach (var n in new[] { 1, 2, 4, 5, 6, 8, 9, 10 })
        {
            await batch.AddBatchRequestStepAsync(client.Users[Upn(n)].AssignLicense.ToPostRequestInformation(Swap(O365E3, E4)), $"u{n}");
        }

        var responses = await client.Batch.PostAsync(batch);
        var codes = await responses.GetResponsesStatusCodesAsync();

        Assert.Equal(5, codes.Values.Count(c => c == HttpStatusCode.OK));
        var throttled = codes.Where(c => c.Value == HttpStatusCode.TooManyRequests).Select(c => c.Key).ToList();
        Assert.Equal(3, throttled.Count);
        foreach (var id in throttled)
        {
            using var item = await responses.GetResponseByIdAsync(id);
            Assert.Equal(TimeSpan.FromSeconds(30), item.Headers.RetryAfter!.Delta); // 150 s / 5 writes per token
            Assert.StartsWith("Tenant_Application/Write/", item.Headers.GetValues("x-ms-throttle-scope").Single());
            Assert.Equal("WriteLimitExceeded", item.Headers.GetValues("x-ms-throttle-information").Single());
            var error = JsonDocument.Parse(await item.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Equal("TooManyRequests", error.GetProperty("code").GetString());
        }

        Assert.Equal(3, batch.NewBatchWithFailedRequests(codes).BatchRequestSteps.Count);
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(5, stats.Writes);
        Assert.Equal(3, stats.Throttled);
        Assert.Equal(5, stats.LicenseWrites);
        Assert.Equal(1, stats.Requests);
        Assert.Equal(8, stats.BatchItems);
    }

    [Fact]
    public async Task Items_RunConcurrently_AndComeBackInADifferentOrder()
    {
        // Each write waits 0.5-1.5 s: 20 one after another take about 20 s, concurrently about 1.5 s. Half of the serial
        // time leaves a loaded machine room while still telling the two apart.
        await using var simulator = await SimulatorHost.StartAsync("--users", "40", "--latency-ms", "1000");
        var client = Client(simulator);
        var requests = Enumerable.Range(1, 20).Select(n => new
        {
            id = n.ToString(),
            method = "POST",
            url = $"/users/{Uri.EscapeDataString(Upn(n))}/assignLicense",
            headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            body = new { addLicenses = new[] { new { skuId = O365E3, disabledPlans = Array.Empty<Guid>() } }, removeLicenses = Array.Empty<Guid>() },
        });

        var watch = Stopwatch.StartNew();
        using var result = await RawBatchAsync(client, new { requests });
        watch.Stop();

        var ids = result.RootElement.GetProperty("responses").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(20, ids.Count);
        Assert.NotEqual(Enumerable.Range(1, 20).Select(n => n.ToString()), ids);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"20 writes of ~1 s (20 s one after another) took {watch.Elapsed}; items should run concurrently.");
    }

    [Fact]
    public async Task MalformedBatches_AreRejectedAsAWhole()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "30");
        var client = Client(simulator);
        object Get(string id) => new { id, method = "GET", url = "/users?$top=1" };

        var tooMany = await ErrorFrom(() => RawBatchAsync(client, new { requests = Enumerable.Range(1, 21).Select(i => Get(i.ToString())) }));
        Assert.Equal(400, tooMany.ResponseStatusCode);
        Assert.Equal("BadRequest", tooMany.Error!.Code);

        var duplicate = await ErrorFrom(() => RawBatchAsync(client, new { requests = new[] { Get("a"), Get("A") } }));
        Assert.Equal(400, duplicate.ResponseStatusCode);
        Assert.Equal("Request Id A has to be unique in a batch.", duplicate.Error!.Message);

        var noHeaders = await ErrorFrom(() => RawBatchAsync(client, new { requests = new object[] { new { id = "1", method = "PATCH", url = $"/users/{Upn(1)}", body = new { usageLocation = "US" } } } }));
        Assert.Equal(400, noHeaders.ResponseStatusCode);

        var stats = await simulator.GetStatsAsync();
        Assert.Equal(0, stats.BatchItems);
    }

    [Fact]
    public async Task DependsOn_FailedDependencyIs424_AndReadOnlyTokensGet403PerItem()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "30", "--token", "full", "--read-token", "reader");
        var client = Client(simulator, "full");
        using var result = await RawBatchAsync(client, new
        {
            requests = new object[]
            {
                new { id = "1", method = "GET", url = "/users/missing@contoso.onmicrosoft.com" },
                new { id = "2", method = "GET", url = $"/users/{Upn(1)}", dependsOn = new[] { "1" } },
                new { id = "3", method = "GET", url = $"/users/{Upn(2)}" },
            },
        });
        var statuses = result.RootElement.GetProperty("responses").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("status").GetInt32());
        Assert.Equal(404, statuses["1"]);
        Assert.Equal(424, statuses["2"]);
        Assert.Equal(200, statuses["3"]);

        var reader = Client(simulator, "reader");
        var batch = new BatchRequestContentCollection(reader);
        await batch.AddBatchRequestStepAsync(reader.Users[Upn(1)].ToGetRequestInformation(), "read");
        await batch.AddBatchRequestStepAsync(reader.Users[Upn(1)].AssignLicense.ToPostRequestInformation(Swap(O365E3, E4)), "write");
        var codes = await (await reader.Batch.PostAsync(batch)).GetResponsesStatusCodesAsync();
        Assert.Equal(HttpStatusCode.OK, codes["read"]);
        Assert.Equal(HttpStatusCode.Forbidden, codes["write"]);
    }

    /// <summary>Sends a hand-built $batch body through the SDK's request adapter (the SDK's own batch types refuse bad batches).</summary>
    internal static async Task<JsonDocument> RawBatchAsync(GraphServiceClient client, object body)
    {
        var info = new RequestInformation { HttpMethod = Method.POST, UrlTemplate = "{+baseurl}/$batch" };
        info.PathParameters["baseurl"] = client.RequestAdapter.BaseUrl!;
        info.SetStreamContent(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body))), "application/json");
        var errors = new Dictionary<string, ParsableFactory<IParsable>> { ["XXX"] = ODataError.CreateFromDiscriminatorValue };
        var stream = await client.RequestAdapter.SendPrimitiveAsync<Stream>(info, errors);
        return await JsonDocument.ParseAsync(stream!);
    }
}
