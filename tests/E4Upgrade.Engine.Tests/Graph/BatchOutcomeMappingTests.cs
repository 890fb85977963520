using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Resilience;
using Xunit;

namespace E4Upgrade.Engine.Tests.Graph;

public class BatchOutcomeMappingTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> NoHeaders = new(StringComparer.OrdinalIgnoreCase);

    private const string MixedBatch = """
    {"responses":[
      {"id":"3","status":429,"headers":{"Retry-After":"2.128","x-ms-throttle-limit-percentage":"1.2"},
       "body":{"error":{"code":"TooManyRequests","message":"Please retry again later."}}},
      {"id":"1","status":200,"headers":{"Content-Type":"application/json"},
       "body":{"id":"6e4b8b5e-0000-4000-8000-000000000001","userPrincipalName":"o'brien@contoso.com","usageLocation":"US",
               "assignedLicenses":[{"skuId":"06ebc4ee-1bb5-47dd-8120-11324bc54e06","disabledPlans":["e212cbc7-0961-4c40-9825-01117710dcb1"]}],
               "licenseAssignmentStates":[{"skuId":"06ebc4ee-1bb5-47dd-8120-11324bc54e06","assignedByGroup":null,"state":"Active","error":"None","disabledPlans":[]}]}},
      {"id":"2","status":400,"headers":{},
       "body":{"error":{"code":"Request_BadRequest","message":"License assignment cannot be done for user with invalid usage location."}}},
      {"id":"4","status":204,"headers":{"RETRY-AFTER":"Sat, 01 Mar 2025 12:00:05 GMT"}}
    ]}
    """;

    [Fact]
    public void Every_item_is_mapped_by_id_whatever_the_order()
    {
        var batch = BatchResponse.Parse(200, Headers(("x-ms-throttle-limit-percentage", "0.9")), MixedBatch);
        var outcomes = WriteOutcomeMapper.FromBatch(new[] { "1", "2", "3", "4", "5" }, batch, new RetryAfterHeader(), Now);

        Assert.Equal(new[] { "1", "2", "3", "4", "5" }, outcomes.Select(o => o.RequestId));

        var moved = outcomes[0];
        Assert.Equal(200, moved.Status);
        Assert.True(moved.Succeeded);
        Assert.Null(moved.ErrorCode);
        Assert.Equal(0.9, moved.ThrottleLimitPercentage);
        Assert.NotNull(moved.User);
        Assert.Equal("o'brien@contoso.com", moved.User!.UserPrincipalName);
        Assert.Equal("US", moved.User.UsageLocation);
        var license = Assert.Single(moved.User.AssignedLicenses);
        Assert.Equal(Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06"), license.SkuId);
        Assert.Equal(Guid.Parse("e212cbc7-0961-4c40-9825-01117710dcb1"), Assert.Single(license.DisabledPlans));
        var state = Assert.Single(moved.User.AssignmentStates);
        Assert.True(state.IsDirect);
        Assert.False(state.HasError);

        var badRequest = outcomes[1];
        Assert.Equal(400, badRequest.Status);
        Assert.Equal("Request_BadRequest", badRequest.ErrorCode);
        Assert.Contains("invalid usage location", badRequest.ErrorMessage);
        Assert.Null(badRequest.User);

        var throttled = outcomes[2];
        Assert.Equal(429, throttled.Status);
        Assert.Equal("TooManyRequests", throttled.ErrorCode);
        Assert.Equal(TimeSpan.FromMilliseconds(2128), throttled.RetryAfter);
        Assert.Equal(1.2, throttled.ThrottleLimitPercentage);

        var patched = outcomes[3];
        Assert.Equal(204, patched.Status);
        Assert.True(patched.Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(5), patched.RetryAfter);
        Assert.Null(patched.User);

        var missing = outcomes[4];
        Assert.Equal(0, missing.Status);
        Assert.Equal(WriteOutcomeMapper.NoAnswerCode, missing.ErrorCode);
    }

    [Fact]
    public void Outer_throttle_becomes_one_outcome_per_item_with_the_outer_status()
    {
        var body = """{"error":{"code":"TooManyRequests","message":"Please retry again later."}}""";
        var batch = BatchResponse.Parse(429, Headers(("Retry-After", "10"), ("x-ms-throttle-limit-percentage", "1.5")), body);
        var outcomes = WriteOutcomeMapper.FromBatch(new[] { "a", "b" }, batch, new RetryAfterHeader(), Now);

        Assert.All(outcomes, outcome =>
        {
            Assert.Equal(429, outcome.Status);
            Assert.Equal("TooManyRequests", outcome.ErrorCode);
            Assert.Equal(TimeSpan.FromSeconds(10), outcome.RetryAfter);
            Assert.Equal(1.5, outcome.ThrottleLimitPercentage);
        });
    }

    [Fact]
    public void Outer_server_error_without_json_still_gives_outcomes()
    {
        var batch = BatchResponse.Parse(502, NoHeaders, "<html>Bad gateway</html>");
        var outcome = Assert.Single(WriteOutcomeMapper.FromBatch(new[] { "x" }, batch, new RetryAfterHeader(), Now));
        Assert.Equal(502, outcome.Status);
        Assert.Equal("HTTP502", outcome.ErrorCode);
        Assert.Null(outcome.RetryAfter);
    }

    [Fact]
    public void Unreadable_success_body_means_unknown_outcome()
    {
        var batch = BatchResponse.Parse(200, NoHeaders, "{\"value\":[]}");
        Assert.True(batch.Unreadable);
        var outcome = Assert.Single(WriteOutcomeMapper.FromBatch(new[] { "x" }, batch, new RetryAfterHeader(), Now));
        Assert.Equal(0, outcome.Status);
        Assert.Equal(WriteOutcomeMapper.UnreadableCode, outcome.ErrorCode);
    }

    [Fact]
    public void Item_ids_match_case_insensitively()
    {
        var batch = BatchResponse.Parse(200, NoHeaders, """{"responses":[{"id":"ABC","status":204}]}""");
        Assert.Equal(204, Assert.Single(WriteOutcomeMapper.FromBatch(new[] { "abc" }, batch, new RetryAfterHeader(), Now)).Status);
    }

    [Fact]
    public void Transport_failures_are_status_zero()
    {
        Assert.Equal(WriteOutcomeMapper.TimeoutCode, WriteOutcomeMapper.FromTransportFailure("1", new TimeoutException("slow")).ErrorCode);
        var dropped = WriteOutcomeMapper.FromTransportFailure("1", new HttpRequestException("reset"));
        Assert.Equal(0, dropped.Status);
        Assert.Equal(WriteOutcomeMapper.ConnectionFailedCode, dropped.ErrorCode);
        Assert.False(dropped.Succeeded);
    }

    private static Dictionary<string, string> Headers(params (string Name, string Value)[] headers)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            map[name] = value;
        }

        return map;
    }
}
