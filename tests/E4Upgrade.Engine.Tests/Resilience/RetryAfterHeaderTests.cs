using E4Upgrade.Engine.Resilience;
using Xunit;

namespace E4Upgrade.Engine.Tests.Resilience;

public class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("10", 10_000)]
    [InlineData("0", 0)]
    [InlineData(" 7 ", 7_000)]
    [InlineData("2.128", 2_128)]
    [InlineData("0.5", 500)]
    public void Delta_seconds_are_read_as_given(string header, int expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), new RetryAfterHeader().Read(header, Now));
    }

    [Fact]
    public void An_HTTP_date_is_relative_to_now()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), new RetryAfterHeader().Read("Sat, 01 Mar 2025 12:00:30 GMT", Now));
    }

    [Fact]
    public void A_date_in_the_past_means_no_wait()
    {
        Assert.Equal(TimeSpan.Zero, new RetryAfterHeader().Read("Sat, 01 Mar 2025 11:59:00 GMT", Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-3")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void An_unusable_value_is_ignored_without_throwing(string? header)
    {
        var log = new List<string>();
        Assert.Null(new RetryAfterHeader(log: log.Add).Read(header, Now));
        Assert.Equal(string.IsNullOrEmpty(header) ? 0 : 1, log.Count);
    }

    [Theory]
    [InlineData("3600")]
    [InlineData("1e12")]
    [InlineData("1000000000000")]
    [InlineData("Fri, 31 Dec 9999 23:59:59 GMT")]
    public void A_wait_beyond_the_ceiling_is_cut_to_it_and_logged(string header)
    {
        var log = new List<string>();
        var wait = new RetryAfterHeader(TimeSpan.FromSeconds(120), log.Add).Read(header, Now);

        Assert.Equal(TimeSpan.FromSeconds(120), wait);
        Assert.Contains(log, line => line.Contains(header) && line.Contains("120 s"));
    }

    [Fact]
    public void The_default_ceiling_is_the_Graph_SDK_s_180_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(180), new RetryAfterHeader().Read("181", Now));
        Assert.Equal(TimeSpan.FromSeconds(180), new GraphResilienceOptions().MaxRetryAfter);
    }
}
