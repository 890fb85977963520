using System.Diagnostics;
using System.Net;
using E4Upgrade.Engine.Graph;
using Xunit;

namespace E4Upgrade.Engine.Tests.Graph;

/// <summary>The gateway under the real SDK and HTTP pipeline, against a scripted endpoint (cases the simulator cannot stage).</summary>
public class GatewayTransportTests
{
    private static readonly Guid E4 = Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711");
    private const string EmptySkus = """{"value":[]}""";

    [Fact]
    public async Task Next_link_to_another_host_is_refused_and_never_requested()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK,
            """{"value":[{"id":"u1","userPrincipalName":"a@contoso.com"}],"@odata.nextLink":"https://evil.example/v1.0/users?$skiptoken=abc"}""")));
        var gateway = TestGateways.Create(transport);
        var seen = new List<UserLicenses>();

        var error = await Assert.ThrowsAsync<E4UpgradeException>(async () =>
        {
            await foreach (var user in gateway.ListUsersWithSkuAsync(E4, CancellationToken.None))
            {
                seen.Add(user);
            }
        });

        Assert.Equal(ErrorIds.NextLinkRefused, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.SecurityError, error.Category);
        Assert.Contains("evil.example", error.Message);
        Assert.Single(seen);
        Assert.Single(transport.Requests);
        Assert.DoesNotContain(transport.Requests, r => r.Uri.Host == "evil.example");
    }

    [Fact]
    public async Task Next_link_is_followed_unchanged_on_the_same_host()
    {
        const string next = "https://graph.test/v1.0/users?$filter=x&$skiptoken=Opaque%2BToken";
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK, attempt == 1
            ? $$"""{"value":[{"id":"u1"}],"@odata.nextLink":"{{next}}"}"""
            : """{"value":[{"id":"u2"}]}""")));
        var gateway = TestGateways.Create(transport);

        var ids = new List<string>();
        await foreach (var user in gateway.ListUsersWithSkuAsync(E4, CancellationToken.None))
        {
            ids.Add(user.Id);
        }

        Assert.Equal(new[] { "u1", "u2" }, ids);
        var first = transport.Requests[0].Uri.AbsoluteUri;
        Assert.Contains("$filter=assignedLicenses/any(x:x/skuId eq " + E4 + ")", Uri.UnescapeDataString(first));
        Assert.Contains("$top=999", first);
        Assert.Contains("$select=id,userPrincipalName,usageLocation,assignedLicenses,licenseAssignmentStates", first);
        Assert.Equal(new Uri(next).AbsoluteUri, transport.Requests[1].Uri.AbsoluteUri);
        Assert.Equal("Bearer " + TestGateways.Token, transport.Requests[1].Authorization);
    }

    [Fact]
    public async Task Reads_wait_for_a_fractional_retry_after_then_succeed()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(attempt == 1
            ? ScriptedTransport.Json((HttpStatusCode)429, """{"error":{"code":"TooManyRequests","message":"Please retry again later."}}""", ("Retry-After", "0.35"))
            : ScriptedTransport.Json(HttpStatusCode.OK, EmptySkus)));
        var log = new List<string>();
        var gateway = TestGateways.Create(transport, log: log);
        var clock = Stopwatch.StartNew();

        var skus = await gateway.GetSubscribedSkusAsync(CancellationToken.None);

        Assert.Empty(skus);
        Assert.Equal(2, transport.Requests.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(330), $"waited only {clock.Elapsed}");
        Assert.Contains(log, line => line.Contains("HTTP 429") && line.Contains("0.35 s"));
    }

    [Fact]
    public async Task Reads_give_up_after_the_bounded_retries()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(
            ScriptedTransport.Json(HttpStatusCode.ServiceUnavailable, """{"error":{"code":"ServiceUnavailable","message":"down"}}""")));
        var gateway = TestGateways.Create(transport, TestGateways.FastRetries(retries: 3));

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => gateway.GetSubscribedSkusAsync(CancellationToken.None));

        Assert.Equal(ErrorIds.RetriesExhausted, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.ResourceUnavailable, error.Category);
        Assert.Equal(503, error.HttpStatus);
        Assert.Equal(4, transport.Requests.Count);
    }

    [Fact]
    public async Task A_bad_request_read_is_not_retried()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(
            ScriptedTransport.Json(HttpStatusCode.BadRequest, """{"error":{"code":"Request_UnsupportedQuery","message":"nope"}}""")));
        var gateway = TestGateways.Create(transport);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => gateway.GetSubscriptionsAsync(CancellationToken.None));

        Assert.Equal(ErrorIds.GraphError, error.ErrorId);
        Assert.Equal("Request_UnsupportedQuery", error.GraphErrorCode);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_write_batch_is_sent_once_even_when_the_whole_request_fails()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(
            HttpStatusCode.ServiceUnavailable,
            """{"error":{"code":"ServiceUnavailable","message":"The service is temporarily unavailable."}}""",
            ("Retry-After", "3"))));
        var gateway = TestGateways.Create(transport);

        var outcomes = await gateway.SendWritesAsync(new[] { Swap("w1", "u1"), Swap("w2", "u2") }, CancellationToken.None);

        Assert.Single(transport.Requests);
        Assert.Equal("https://graph.test/v1.0/$batch", transport.Requests[0].Uri.ToString());
        Assert.Equal(new[] { "w1", "w2" }, outcomes.Select(o => o.RequestId));
        Assert.All(outcomes, outcome =>
        {
            Assert.Equal(503, outcome.Status);
            Assert.Equal("ServiceUnavailable", outcome.ErrorCode);
            Assert.Equal(TimeSpan.FromSeconds(3), outcome.RetryAfter);
        });
    }

    [Fact]
    public async Task A_hung_write_batch_becomes_status_zero_after_the_timeout()
    {
        var transport = new ScriptedTransport(async (request, attempt, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        });
        var gateway = TestGateways.Create(transport, TestGateways.FastRetries(timeout: TimeSpan.FromMilliseconds(300)));

        var outcomes = await gateway.SendWritesAsync(new[] { Swap("w1", "u1") }, CancellationToken.None);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(0, outcome.Status);
        Assert.Equal(WriteOutcomeMapper.TimeoutCode, outcome.ErrorCode);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_dropped_connection_on_a_write_batch_becomes_status_zero()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromException<HttpResponseMessage>(new HttpRequestException("connection reset")));
        var gateway = TestGateways.Create(transport);

        var outcome = Assert.Single(await gateway.SendWritesAsync(new[] { Swap("w1", "u1") }, CancellationToken.None));

        Assert.Equal(0, outcome.Status);
        Assert.Equal(WriteOutcomeMapper.ConnectionFailedCode, outcome.ErrorCode);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_an_outcome()
    {
        var transport = new ScriptedTransport(async (request, attempt, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        });
        var gateway = TestGateways.Create(transport);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gateway.SendWritesAsync(new[] { Swap("w1", "u1") }, cancel.Token));
    }

    [Fact]
    public async Task Outer_unauthorized_on_writes_throws_token_expired()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(
            HttpStatusCode.Unauthorized, """{"error":{"code":"InvalidAuthenticationToken","message":"Lifetime validation failed, the token is expired."}}""")));
        var gateway = TestGateways.Create(transport);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => gateway.SendWritesAsync(new[] { Swap("w1", "u1") }, CancellationToken.None));

        Assert.Equal(ErrorIds.TokenExpired, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.AuthenticationError, error.Category);
        Assert.DoesNotContain(TestGateways.Token, error.ToString());
    }

    [Fact]
    public async Task Write_batch_body_carries_every_write_and_no_token()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK,
            """{"responses":[{"id":"loc","status":204,"headers":{}},{"id":"swap","status":200,"headers":{},"body":{"id":"u1","userPrincipalName":"a@b.c","assignedLicenses":[]}}]}""")));
        var gateway = TestGateways.Create(transport);
        var writes = new[]
        {
            new WriteRequest { RequestId = "loc", UserId = "o'brien@contoso.com", Kind = WriteKind.SetUsageLocation, UsageLocation = "NL" },
            Swap("swap", "u1"),
        };

        var outcomes = await gateway.SendWritesAsync(writes, CancellationToken.None);

        Assert.All(outcomes, outcome => Assert.True(outcome.Succeeded));
        Assert.Equal("u1", outcomes[1].User!.Id);
        using var body = System.Text.Json.JsonDocument.Parse(transport.Requests.Single().Body!);
        var requests = body.RootElement.GetProperty("requests");
        Assert.Equal(2, requests.GetArrayLength());
        Assert.Equal("PATCH", requests[0].GetProperty("method").GetString());
        Assert.Equal("/users/o%27brien%40contoso.com", requests[0].GetProperty("url").GetString());
        Assert.Equal("NL", requests[0].GetProperty("body").GetProperty("usageLocation").GetString());
        var swap = requests[1].GetProperty("body");
        Assert.Equal(Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06"), swap.GetProperty("addLicenses")[0].GetProperty("skuId").GetGuid());
        Assert.Equal(E4, swap.GetProperty("removeLicenses")[0].GetGuid());
        Assert.DoesNotContain(TestGateways.Token, transport.Requests.Single().Body);
    }

    [Fact]
    public async Task Get_users_reads_each_distinct_key_once_and_reports_each_kind()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK, """
            {"responses":[
              {"id":"2","status":404,"body":{"error":{"code":"Request_ResourceNotFound","message":"Resource 'x' does not exist"}}},
              {"id":"3","status":429,"headers":{"Retry-After":"1.5"},"body":{"error":{"code":"TooManyRequests","message":"later"}}},
              {"id":"1","status":200,"body":{"id":"id-1","userPrincipalName":"a@contoso.com","assignedLicenses":[]}}
            ]}
            """)));
        var gateway = TestGateways.Create(transport);

        var lookups = await gateway.GetUsersAsync(new[] { "a@contoso.com", "missing@contoso.com", "a@contoso.com", "busy@contoso.com", "" }, CancellationToken.None);

        Assert.Single(transport.Requests);
        using (var body = System.Text.Json.JsonDocument.Parse(transport.Requests[0].Body!))
        {
            Assert.Equal(3, body.RootElement.GetProperty("requests").GetArrayLength());
        }

        Assert.Equal(5, lookups.Count);
        Assert.Equal("id-1", lookups[0].User!.Id);
        Assert.True(lookups[1].NotFound);
        Assert.Same(lookups[0], lookups[2]);
        Assert.Equal(429, lookups[3].Failure!.Status);
        Assert.Equal(TimeSpan.FromSeconds(1.5), lookups[3].Failure!.RetryAfter);
        Assert.True(lookups[4].NotFound);
    }

    [Fact]
    public async Task More_than_twenty_writes_is_a_programming_error()
    {
        var gateway = TestGateways.Create(new ScriptedTransport((r, a, c) => throw new InvalidOperationException()));
        var writes = Enumerable.Range(1, 21).Select(i => Swap("w" + i, "u" + i)).ToArray();

        await Assert.ThrowsAsync<ArgumentException>(() => gateway.SendWritesAsync(writes, CancellationToken.None));
    }

    private static WriteRequest Swap(string requestId, string userId) => new()
    {
        RequestId = requestId,
        UserId = userId,
        Kind = WriteKind.AssignLicense,
        Change = new LicenseChange(
            new[] { new AssignedSku(Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06")) },
            new[] { E4 }),
    };
}
