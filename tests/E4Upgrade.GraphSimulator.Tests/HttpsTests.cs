using System.Net.Http.Json;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using E4Upgrade.GraphSimulator.Tests.Support;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

/// <summary>--https: TLS on loopback with a self-signed certificate that clients trust by its thumbprint only.</summary>
public sealed class HttpsTests
{
    [Fact]
    public async Task Https_ServesGraph_ToAnSdkClientThatTrustsThatCertificate_NextLinksStayHttps()
    {
        await using var simulator = await SimulatorHost.StartAsync("--https", "--users", "30");
        Assert.Equal("https", simulator.GraphBaseUrl.Scheme);
        var client = Client(simulator);

        var skus = await client.SubscribedSkus.GetAsync();
        var page = await client.Users.GetAsync(r => { r.QueryParameters.Top = 10; r.QueryParameters.Select = new[] { "id" }; });
        var next = await client.Users.WithUrl(page!.OdataNextLink!).GetAsync();

        Assert.Equal(5, skus!.Value!.Count);
        Assert.StartsWith(simulator.GraphBaseUrl + "/users?", page.OdataNextLink);
        Assert.Equal(10, next!.Value!.Count);
    }

    [Fact]
    public async Task TheCertificate_IsPrintedByThumbprint_AndServedAtSimulatorCertificate()
    {
        await using var simulator = await SimulatorHost.StartAsync("--https", "--users", "10");

        var served = await AdminHttp.GetAsync(simulator, "_simulator/certificate");
        var pem = X509Certificate2.CreateFromPem(served.GetProperty("pem").GetString());

        Assert.Matches("^[0-9A-F]{40}$", simulator.CertificateThumbprint);
        Assert.Equal(simulator.CertificateThumbprint, served.GetProperty("thumbprint").GetString());
        Assert.Equal(simulator.CertificateThumbprint, pem.Thumbprint);
        Assert.Equal(pem.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), served.GetProperty("thumbprintSha256").GetString());
        Assert.False(pem.HasPrivateKey);
        var names = pem.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains(System.Net.IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.Contains("localhost", names.EnumerateDnsNames());
    }

    [Fact]
    public async Task AClientThatDoesNotTrustTheCertificate_CannotConnect()
    {
        await using var simulator = await SimulatorHost.StartAsync("--https", "--users", "10");
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(simulator.RootUrl, "_simulator/stats")));

        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task TwoSimulators_MakeTwoCertificates_AndEachTrustsOnlyItsOwn()
    {
        await using var first = await SimulatorHost.StartAsync("--https", "--users", "10");
        await using var second = await SimulatorHost.StartAsync("--https", "--users", "10");
        using var trustsFirst = new HttpClient(first.CreateHttpHandler());

        Assert.NotEqual(first.CertificateThumbprint, second.CertificateThumbprint);
        var stats = await trustsFirst.GetFromJsonAsync<JsonElement>(new Uri(first.RootUrl, "_simulator/stats"));
        Assert.Equal(10, stats.GetProperty("users").GetInt32());
        await Assert.ThrowsAsync<HttpRequestException>(() => trustsFirst.GetAsync(new Uri(second.RootUrl, "_simulator/stats")));
    }

    [Fact]
    public async Task PlainHttp_HasNoCertificate()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "10");
        using var http = new HttpClient { BaseAddress = simulator.RootUrl };

        using var response = await http.GetAsync(new Uri("_simulator/certificate", UriKind.Relative));

        Assert.Null(simulator.CertificateThumbprint);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Https_WithAPlainHttpUrl_IsRefused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SimulatorHost.StartAsync("--https", "--urls", "http://127.0.0.1:0"));
        Assert.Contains("--https", error.Message);
    }
}
