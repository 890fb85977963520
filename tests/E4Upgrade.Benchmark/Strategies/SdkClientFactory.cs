using System;
using System.Net.Http;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace E4Upgrade.Benchmark.Strategies;

/// <summary>
/// The Graph client an admin's script gets: GraphClientFactory's default middleware (retry handler included, with
/// its defaults: 3 retries on 429/503/504, honouring integer Retry-After), bearer token auth, the simulator as base URL.
/// </summary>
public static class SdkClientFactory
{
    public static GraphServiceClient Create(string graphUrl, string token, out HttpClient httpClient)
    {
        var baseUrl = new Uri(graphUrl);
        httpClient = GraphClientFactory.Create(GraphClientFactory.CreateDefaultHandlers());
        var authentication = new BaseBearerTokenAuthenticationProvider(new StaticTokenProvider(token, baseUrl));
        return new GraphServiceClient(httpClient, authentication, graphUrl.TrimEnd('/'));
    }
}
