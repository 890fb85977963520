using E4Upgrade.Engine.Resilience;
using Xunit;

namespace E4Upgrade.Engine.Tests.Graph;

public class GraphResponseHeadersTests
{
    [Theory]
    [InlineData("0.8", 0.8)]
    [InlineData("1.2", 1.2)]
    [InlineData("1.8", 1.8)]
    public void Throttle_percentage_parses_invariant_culture(string header, double expected)
    {
        Assert.Equal(expected, GraphResponseHeaders.ParseThrottleLimitPercentage(header));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("high")]
    [InlineData("-1")]
    public void Unusable_throttle_percentage_is_null(string? header)
    {
        Assert.Null(GraphResponseHeaders.ParseThrottleLimitPercentage(header));
    }

    [Fact]
    public void Header_lookup_ignores_case()
    {
        var headers = new Dictionary<string, string> { ["retry-after"] = "3" };
        Assert.Equal("3", GraphResponseHeaders.Find(headers, "Retry-After"));
    }
}
