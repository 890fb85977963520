using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Xunit;

namespace E4Upgrade.GraphSimulator.Tests.Support;

/// <summary>Real GraphServiceClients pointed at a simulator, and the SKU ids the generated tenant uses.</summary>
internal static class SimulatorGraph
{
    public static readonly Guid E4 = Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711");
    public static readonly Guid O365E3 = Guid.Parse("6fd2c87f-b296-42f0-b197-1e91e994b900");
    public static readonly Guid O365E5 = Guid.Parse("c7df2760-2c81-4ef7-b578-5b5392b571df");
    public static readonly Guid M365E5 = Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06");

    /// <summary>
    /// A client with the SDK's default middleware minus its retry handler, so tests see every 429/503/504 the
    /// simulator sends. The token provider names 127.0.0.1, or the SDK would silently send no token. Over --https the
    /// client trusts exactly the simulator's certificate.
    /// </summary>
    public static GraphServiceClient Client(RunningSimulator simulator, string? token = null, bool withRetry = false)
    {
        var handlers = GraphClientFactory.CreateDefaultHandlers().Where(h => withRetry || h is not RetryHandler).ToList();
        var http = GraphClientFactory.Create(handlers, finalHandler: simulator.CreateHttpHandler());
        var auth = new BaseBearerTokenAuthenticationProvider(new FixedTokenProvider(token ?? simulator.Token, simulator.GraphBaseUrl.Host));
        return new GraphServiceClient(http, auth, simulator.GraphBaseUrl.ToString());
    }

    public static async Task<ODataError> ErrorFrom(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<ODataError>(call);
        Assert.NotNull(error.Error);
        return error;
    }

    public static async Task<User> UserByUpn(GraphServiceClient client, string upn) =>
        (await client.Users[upn].GetAsync(r => r.QueryParameters.Select = new[] { "id", "userPrincipalName", "usageLocation", "assignedLicenses", "licenseAssignmentStates" }))!;

    /// <summary>The generated tenant's UPN for user N (users 2, 1002... have an apostrophe; 5, 1005... non-ASCII letters).</summary>
    public static string Upn(int number) => (number % 1000) switch
    {
        2 => $"o'brien.user{number:D5}@contoso.onmicrosoft.com",
        5 => $"zoë.müller{number:D5}@contoso.onmicrosoft.com",
        _ => $"user{number:D5}@contoso.onmicrosoft.com",
    };

    public static Microsoft.Graph.Users.Item.AssignLicense.AssignLicensePostRequestBody Swap(Guid add, Guid remove, params Guid[] disabledPlans) =>
        new()
        {
            AddLicenses = new List<AssignedLicense> { new() { SkuId = add, DisabledPlans = disabledPlans.Select(p => (Guid?)p).ToList() } },
            RemoveLicenses = new List<Guid?> { remove },
        };

    private sealed class FixedTokenProvider : IAccessTokenProvider
    {
        private readonly string token;

        public FixedTokenProvider(string token, string host)
        {
            this.token = token;
            AllowedHostsValidator = new AllowedHostsValidator(new[] { host });
        }

        public AllowedHostsValidator AllowedHostsValidator { get; }

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(token);
    }
}
