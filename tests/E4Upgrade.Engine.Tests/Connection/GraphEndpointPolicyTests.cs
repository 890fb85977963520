using E4Upgrade.Engine.Connection;
using Xunit;

namespace E4Upgrade.Engine.Tests.Connection;

public class GraphEndpointPolicyTests
{
    [Theory]
    [InlineData("https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/v1.0")]
    [InlineData("https://graph.microsoft.com/v1.0/", "https://graph.microsoft.com/v1.0")]
    [InlineData("https://graph.microsoft.com/beta", "https://graph.microsoft.com/beta")]
    [InlineData("https://proxy.contoso.com/graph/v1.0", "https://proxy.contoso.com/graph/v1.0")]
    [InlineData("http://127.0.0.1:5123/v1.0", "http://127.0.0.1:5123/v1.0")]
    [InlineData("http://localhost:5123/v1.0", "http://localhost:5123/v1.0")]
    [InlineData("http://[::1]:5123/v1.0", "http://[::1]:5123/v1.0")]
    public void AcceptsHttpsAndLoopbackHttp(string endpoint, string expected)
    {
        Assert.Equal(expected, GraphEndpointPolicy.Validate(new Uri(endpoint)).AbsoluteUri.TrimEnd('/'));
    }

    [Theory]
    [InlineData("http://graph.microsoft.com/v1.0", "plain http")]
    [InlineData("http://10.0.0.5:8080/v1.0", "plain http")]
    [InlineData("http://127.0.0.1.evil.com/v1.0", "plain http")]
    [InlineData("ftp://graph.microsoft.com/v1.0", "scheme")]
    [InlineData("https://graph.microsoft.com", "version segment")]
    [InlineData("https://graph.microsoft.com/users", "version segment")]
    [InlineData("https://graph.microsoft.com/v1.0?x=1", "query")]
    [InlineData("https://user:pw@graph.microsoft.com/v1.0", "user name")]
    public void RejectsWithInvalidGraphEndpoint(string endpoint, string reason)
    {
        var error = Assert.Throws<E4UpgradeException>(() => GraphEndpointPolicy.Validate(new Uri(endpoint)));
        Assert.Equal(ErrorIds.InvalidGraphEndpoint, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.InvalidArgument, error.Category);
        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain("pw", error.Message);
    }

    [Fact]
    public void Rejects_relative_and_missing_endpoints()
    {
        Assert.Equal(ErrorIds.InvalidGraphEndpoint, Assert.Throws<E4UpgradeException>(() => GraphEndpointPolicy.Validate(new Uri("/v1.0", UriKind.Relative))).ErrorId);
        Assert.Equal(ErrorIds.InvalidGraphEndpoint, Assert.Throws<E4UpgradeException>(() => GraphEndpointPolicy.Validate(null)).ErrorId);
    }

    [Theory]
    [InlineData(GraphEnvironment.Global, "https://graph.microsoft.com/v1.0", "https://login.microsoftonline.com/")]
    [InlineData(GraphEnvironment.USGov, "https://graph.microsoft.us/v1.0", "https://login.microsoftonline.us/")]
    [InlineData(GraphEnvironment.USGovDoD, "https://dod-graph.microsoft.us/v1.0", "https://login.microsoftonline.us/")]
    [InlineData(GraphEnvironment.China, "https://microsoftgraph.chinacloudapi.cn/v1.0", "https://login.chinacloudapi.cn/")]
    public void Environments_map_to_national_clouds(GraphEnvironment environment, string graph, string authority)
    {
        var options = new ConnectionOptions { Environment = environment };
        Assert.Equal(graph, options.ResolveGraphEndpoint().AbsoluteUri.TrimEnd('/'));
        Assert.Equal(authority, GraphCloud.AuthorityHost(environment).AbsoluteUri);
        Assert.Equal(new Uri(graph).GetLeftPart(UriPartial.Authority) + "/.default", GraphCloud.DefaultScope(new Uri(graph)));
    }

    [Fact]
    public void Explicit_endpoint_wins_over_environment()
    {
        var options = new ConnectionOptions { Environment = GraphEnvironment.China, GraphEndpoint = new Uri("http://127.0.0.1:9/v1.0") };
        Assert.Equal("http://127.0.0.1:9/v1.0", options.ResolveGraphEndpoint().AbsoluteUri.TrimEnd('/'));
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/v1.0/users?$skiptoken=1", true)]
    [InlineData("https://GRAPH.microsoft.com/v1.0/users", true)]
    [InlineData("https://graph.microsoft.com:444/v1.0/users", false)]
    [InlineData("http://graph.microsoft.com/v1.0/users", false)]
    [InlineData("https://graph.microsoft.com.evil.example/v1.0/users", false)]
    public void Same_origin_means_scheme_host_and_port(string candidate, bool expected)
    {
        Assert.Equal(expected, GraphEndpointPolicy.IsSameOrigin(new Uri("https://graph.microsoft.com/v1.0"), new Uri(candidate)));
    }
}
