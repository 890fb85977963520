using E4Upgrade.Engine.Resilience;
using Xunit;

namespace E4Upgrade.Engine.Tests.Graph;

public class GraphResponseHeadersTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("10", 10_000)]
    [InlineData("0", 0)]
    [InlineData(" 7 ", 7_000)]
    [InlineData("2.128", 2_128)]
    [InlineData("0.5", 500)]
    public void RetryAfterAsDeltaSeconds(string header, int expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), GraphResponseHeaders.ParseRetryAfter(header, Now));
    }

    [Fact]
    public void RetryAfterAsHttpDateIsRelativeToNow()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), GraphResponseHeaders.ParseRetryAfter("Sat, 01 Mar 2025 12:00:30 GMT", Now));
    }

    [Fact]
    public void RetryAfterDateInThePastMeansNoWait()
    {
        Assert.Equal(TimeSpan.Zero, GraphResponseHeaders.ParseRetryAfter("Sat, 01 Mar 2025 11:59:00 GMT", Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-3")]
    public void UnusableRetryAfterIsNull(string? header)
    {
        Assert.Null(GraphResponseHeaders.ParseRetryAfter(header, Now));
    }

    [Theory]
    [InlineData("0.8", 0.8)]
    [InlineData("1.2", 1.2)]
    [InlineData("1.8", 1.8)]
    public void ThrottlePercentageParsesInvariantCulture(string header, double expected)
    {
        Assert.Equal(expected, GraphResponseHeaders.ParseThrottleLimitPercentage(header));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("high")]
    [InlineData("-1")]
    public void UnusableThrottlePercentageIsNull(string? header)
    {
        Assert.Null(GraphResponseHeaders.ParseThrottleLimitPercentage(header));
    }

    [Fact]
    public void HeaderLookupIgnoresCase()
    {
        var headers = new Dictionary<string, string> { ["retry-after"] = "3" };
        Assert.Equal("3", GraphResponseHeaders.Find(headers, "Retry-After"));
    }
}
