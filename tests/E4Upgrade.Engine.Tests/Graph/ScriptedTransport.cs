using System.Net;
using System.Security;
using System.Text;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Resilience;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace E4Upgrade.Engine.Tests.Graph;

/// <summary>A fake HTTP endpoint under the real SDK pipeline: records every request and answers from a script.</summary>
internal sealed class ScriptedTransport : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> _answer;

    public ScriptedTransport(Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> answer)
    {
        _answer = answer;
    }

    public List<(HttpMethod Method, Uri Uri, string? Authorization, string? Body)> Requests { get; } = new();

    public static HttpResponseMessage Json(HttpStatusCode status, string json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content == null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        int attempt;
        lock (Requests)
        {
            Requests.Add((request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body));
            attempt = Requests.Count;
        }

        return await _answer(request, attempt, cancellationToken);
    }
}

internal static class TestGateways
{
    public static readonly Uri Root = new("https://graph.test/v1.0");
    public const string Token = "scripted-token-value";

    public static GraphResilienceOptions FastRetries(int retries = 2, TimeSpan? timeout = null) => new()
    {
        MaxReadRetries = retries,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxBackoffDelay = TimeSpan.FromMilliseconds(50),
        RequestTimeout = timeout ?? TimeSpan.FromSeconds(10),
    };

    public static GraphLicensingGateway Create(HttpMessageHandler transport, GraphResilienceOptions? options = null, List<string>? log = null, E4Upgrade.Engine.Pacing.ResourceUnitBudget? budget = null, GraphAuthMethod authMethod = GraphAuthMethod.AccessToken)
    {
        options ??= FastRetries();
        var http = GraphHttpPipeline.CreateHttpClient(options, transport, budget);
        var credential = new StaticAccessTokenCredential(Secure(Token));
        var auth = new BaseBearerTokenAuthenticationProvider(new EndpointBoundTokenProvider(credential, new[] { "https://graph.test/.default" }, Root));
        var client = new GraphServiceClient(http, auth, Root.AbsoluteUri.TrimEnd('/'));
        return new GraphLicensingGateway(client, Root, authMethod, options, log == null ? null : message => { lock (log) { log.Add(message); } }, budget);
    }

    public static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
