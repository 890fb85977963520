using System.Net;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Tests.Graph;
using E4Upgrade.Engine.Tests.Pacing;
using Xunit;

namespace E4Upgrade.Engine.Tests.Resilience;

/// <summary>The session's resource-unit budget under the real SDK pipeline (ResourceUnitPacingHandler), against a scripted Graph on a virtual clock.</summary>
public class ResourceUnitPacingTests
{
    private static readonly Guid E4 = Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711");
    private readonly ManualClock _clock = new();
    private readonly List<TimeSpan> _sentAt = new();

    private const string ReadItemRefused = """
        {"responses":[{"id":"1","status":429,"headers":{"Retry-After":"4","x-ms-throttle-information":"ResourceUnitLimitExceeded","x-ms-resource-unit":"1"},
          "body":{"error":{"code":"TooManyRequests","message":"Please retry again later."}}}]}
        """;

    private const string ReadItemOk = """
        {"responses":[{"id":"1","status":200,"headers":{"x-ms-resource-unit":"1"},"body":{"id":"u1","userPrincipalName":"a@contoso.com","assignedLicenses":[]}}]}
        """;

    private const string WriteItemOk = """{"responses":[{"id":"w1","status":204,"headers":{"x-ms-resource-unit":"1"}}]}""";

    private GraphLicensingGateway Gateway(ResourceUnitBudget budget, params string[] answers) =>
        TestGateways.Create(
            new ScriptedTransport((request, attempt, _) =>
            {
                lock (_sentAt)
                {
                    _sentAt.Add(_clock.Now);
                }

                return Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK, answers[Math.Min(attempt, answers.Length) - 1]));
            }),
            budget: budget);

    [Fact]
    public async Task A_read_refused_for_resource_units_holds_the_next_write_until_its_Retry_After()
    {
        var budget = new ResourceUnitBudget(null, _clock);
        var gateway = Gateway(budget, ReadItemRefused, WriteItemOk);

        var lookup = Assert.Single(await gateway.GetUsersAsync(new[] { "a@contoso.com" }, CancellationToken.None));
        var outcome = Assert.Single(await gateway.SendWritesAsync(new[] { Swap("w1", "u1") }, CancellationToken.None));

        Assert.Equal(429, lookup.Failure!.Status);
        Assert.True(outcome.Succeeded);
        Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(4) }, _sentAt);
        Assert.Equal(1, budget.Pauses);
    }

    [Fact]
    public async Task A_write_refused_for_resource_units_holds_the_next_read()
    {
        var budget = new ResourceUnitBudget(null, _clock);
        var gateway = TestGateways.Create(
            new ScriptedTransport((request, attempt, _) =>
            {
                _sentAt.Add(_clock.Now);
                return Task.FromResult(attempt == 1
                    ? ScriptedTransport.Json((HttpStatusCode)429, """{"error":{"code":"TooManyRequests","message":"Please retry again later."}}""",
                        ("Retry-After", "3"), ("x-ms-throttle-information", "ResourceUnitLimitExceeded"))
                    : ScriptedTransport.Json(HttpStatusCode.OK, ReadItemOk));
            }),
            budget: budget);

        var group = await gateway.AssignGroupLicenseAsync("g1", new LicenseChange(new[] { new AssignedSku(Guid.NewGuid()) }, new[] { E4 }), CancellationToken.None);
        await gateway.GetUsersAsync(new[] { "a@contoso.com" }, CancellationToken.None);

        Assert.Equal(429, group.Status);
        Assert.Equal(TimeSpan.FromSeconds(3), _sentAt[1]);
    }

    [Fact]
    public async Task A_write_limit_429_holds_no_read()
    {
        var budget = new ResourceUnitBudget(null, _clock);
        var gateway = Gateway(
            budget,
            """{"responses":[{"id":"w1","status":429,"headers":{"Retry-After":"30","x-ms-throttle-information":"WriteLimitExceeded","x-ms-throttle-limit-percentage":"1.2"}}]}""",
            ReadItemOk);

        var outcome = Assert.Single(await gateway.SendWritesAsync(new[] { Swap("w1", "u1") }, CancellationToken.None));
        await gateway.GetUsersAsync(new[] { "a@contoso.com" }, CancellationToken.None);

        Assert.Equal(429, outcome.Status);
        Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.Zero }, _sentAt);
        Assert.Empty(_clock.Delays);
    }

    [Fact]
    public async Task A_read_429_that_names_no_limit_holds_no_other_call()
    {
        var budget = new ResourceUnitBudget(null, _clock);
        var gateway = Gateway(
            budget,
            """{"responses":[{"id":"1","status":429,"headers":{"Retry-After":"5"}}]}""",
            WriteItemOk);

        await gateway.GetUsersAsync(new[] { "a@contoso.com" }, CancellationToken.None);
        await gateway.SendWritesAsync(new[] { Swap("w1", "u1") }, CancellationToken.None);

        Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.Zero }, _sentAt);
        Assert.Equal(0, budget.Pauses);
    }

    [Fact]
    public async Task Reads_are_charged_what_Graph_reports_and_the_next_one_is_estimated_at_it()
    {
        // 100 units per 10 s, all of it for reads: 10 units a second.
        var budget = new ResourceUnitBudget(new ResourceUnitBudgetSettings { ResourceUnitsPerWindow = 100, WriteResourceUnitsPerSecond = 0, TargetFraction = 1 }, _clock);
        var dear = ReadItemOk.Replace("\"x-ms-resource-unit\":\"1\"", "\"x-ms-resource-unit\":\"60\"");
        var gateway = Gateway(budget, dear, dear, dear);

        await gateway.GetUsersAsync(new[] { "a@contoso.com" }, CancellationToken.None);
        await gateway.GetUsersAsync(new[] { "a@contoso.com" }, CancellationToken.None);
        await gateway.GetUsersAsync(new[] { "a@contoso.com" }, CancellationToken.None);

        // 100 - 60 = 40 left; the second read is estimated at 60 and waits 2 s; the third waits 6 s more.
        Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8) }, _sentAt);
    }

    [Fact]
    public async Task Reads_of_many_users_are_paced_under_the_budget()
    {
        var budget = new ResourceUnitBudget(new ResourceUnitBudgetSettings { ResourceUnitsPerWindow = 100, WriteResourceUnitsPerSecond = 0, TargetFraction = 1 }, _clock);
        var items = string.Join(",", Enumerable.Range(1, 20).Select(i => $$$"""{"id":"{{{i}}}","status":200,"headers":{"x-ms-resource-unit":"1"},"body":{"id":"u{{{i}}}","assignedLicenses":[]}}"""));
        var gateway = Gateway(budget, $$"""{"responses":[{{items}}]}""");
        var keys = Enumerable.Range(1, 20).Select(i => $"user{i}@contoso.com").ToList();

        for (var i = 0; i < 8; i++)
        {
            await gateway.GetUsersAsync(keys, CancellationToken.None);
        }

        // 160 units: the first 100 at once, then 20 units every 2 s.
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 2, 4, 6 }.Select(s => TimeSpan.FromSeconds(s)), _sentAt);
    }

    [Fact]
    public async Task The_users_a_listing_returns_tell_the_budget_how_large_the_tenant_is_the_skus_do_not()
    {
        var budget = new ResourceUnitBudget(null, _clock);
        var users = string.Join(",", Enumerable.Range(1, 501).Select(i => $$"""{"id":"u{{i}}"}"""));
        var gateway = TestGateways.Create(
            new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK, request.RequestUri!.AbsolutePath.EndsWith("subscribedSkus")
                ? $$$"""{"value":[{"skuId":"{{{E4}}}","skuPartNumber":"ENTERPRISEWITHSCAL","consumedUnits":60,"prepaidUnits":{"enabled":100}}]}"""
                : $$"""{"value":[{{users}}]}"""))),
            budget: budget);

        // 60 assigned units could be devices (device-based licenses): no user count.
        await gateway.GetSubscribedSkusAsync(CancellationToken.None);
        Assert.Equal(3500, budget.QuotaPerWindow);
        await foreach (var _ in gateway.ListUsersWithSkuAsync(E4, CancellationToken.None))
        {
        }

        Assert.Equal(8000, budget.QuotaPerWindow);
    }

    [Fact]
    public async Task Different_users_read_by_key_tell_the_budget_how_large_the_tenant_is_the_same_user_again_does_not()
    {
        var budget = new ResourceUnitBudget(null, _clock);
        var gateway = TestGateways.Create(
            new ScriptedTransport((request, attempt, _) =>
            {
                using var body = System.Text.Json.JsonDocument.Parse(request.Content!.ReadAsStringAsync().Result);
                var items = body.RootElement.GetProperty("requests").EnumerateArray().Select(item =>
                {
                    var id = item.GetProperty("id").GetString();
                    var user = item.GetProperty("url").GetString()!.Split('/', '?')[2];
                    return $$$"""{"id":"{{{id}}}","status":200,"body":{"id":"{{{user}}}","assignedLicenses":[]}}""";
                });
                return Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK, $$"""{"responses":[{{string.Join(",", items)}}]}"""));
            }),
            budget: budget);

        for (var round = 0; round < 3; round++)
        {
            await gateway.GetUsersAsync(Enumerable.Range(1, 20).Select(i => $"u{i}").ToList(), CancellationToken.None);
        }

        Assert.Equal(3500, budget.QuotaPerWindow);
        for (var first = 21; first <= 501; first += 20)
        {
            await gateway.GetUsersAsync(Enumerable.Range(first, 20).Select(i => $"u{i}").ToList(), CancellationToken.None);
            var seen = first + 19;
            Assert.Equal(seen > 500 ? 8000 : seen >= 50 ? 5000 : 3500, budget.QuotaPerWindow);
        }
    }

    private static WriteRequest Swap(string requestId, string userId) => new()
    {
        RequestId = requestId,
        UserId = userId,
        Kind = WriteKind.AssignLicense,
        Change = new LicenseChange(new[] { new AssignedSku(Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06")) }, new[] { E4 }),
    };
}
