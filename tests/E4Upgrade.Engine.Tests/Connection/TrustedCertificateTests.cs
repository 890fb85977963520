using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Tests.Graph;
using E4Upgrade.GraphSimulator;
using Xunit;

namespace E4Upgrade.Engine.Tests.Connection;

/// <summary>-TrustedCertificateThumbprint: one named certificate is trusted, nothing else changes.</summary>
public sealed class TrustedCertificateTests
{
    [Theory]
    [InlineData("9dbdfcb92b459262b3a2af9352e071e0d6d68634", "9DBDFCB92B459262B3A2AF9352E071E0D6D68634")]
    [InlineData("9D BD FC B9 2B 45 92 62 B3 A2 AF 93 52 E0 71 E0 D6 D6 86 34", "9DBDFCB92B459262B3A2AF9352E071E0D6D68634")]
    [InlineData("9D:BD:FC:B9:2B:45:92:62:B3:A2:AF:93:52:E0:71:E0:D6:D6:86:34", "9DBDFCB92B459262B3A2AF9352E071E0D6D68634")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    public void Parse_AcceptsSha1AndSha256Thumbprints(string given, string expected)
    {
        Assert.Equal(expected, TrustedCertificate.Parse(given).Thumbprint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("9DBDFCB92B459262B3A2AF9352E071E0D6D6863")]
    [InlineData("9DBDFCB92B459262B3A2AF9352E071E0D6D6863Z")]
    [InlineData("CN=E4Upgrade Graph simulator")]
    public void Parse_RefusesAnythingElse_WithInvalidCertificateThumbprint(string given)
    {
        var error = Assert.Throws<E4UpgradeException>(() => TrustedCertificate.Parse(given));
        Assert.Equal(ErrorIds.InvalidCertificateThumbprint, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.InvalidArgument, error.Category);
    }

    [Fact]
    public void Accepts_OnlyThatCertificate_AndOnlyWhenItsChainIsTheSoleProblem()
    {
        using var named = SelfSigned("CN=named");
        using var other = SelfSigned("CN=other");
        var bySha1 = TrustedCertificate.Parse(named.Thumbprint);
        var bySha256 = TrustedCertificate.Parse(named.GetCertHashString(HashAlgorithmName.SHA256));

        foreach (var trusted in new[] { bySha1, bySha256 })
        {
            Assert.True(trusted.Accepts(named, SslPolicyErrors.RemoteCertificateChainErrors));
            Assert.False(trusted.Accepts(other, SslPolicyErrors.RemoteCertificateChainErrors));
            Assert.False(trusted.Accepts(named, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors));
            Assert.False(trusted.Accepts(null, SslPolicyErrors.RemoteCertificateNotAvailable));
            Assert.True(trusted.Accepts(other, SslPolicyErrors.None)); // what the system trusts stays trusted
        }
    }

    [Fact]
    public async Task Connect_OverHttps_WithTheSimulatorsThumbprint_Works_BySha1OrSha256()
    {
        await using var simulator = await SimulatorHost.StartAsync("--https", "--users", "10", "--token", "t");
        var sha256 = simulator.Certificate!.GetCertHashString(HashAlgorithmName.SHA256);

        foreach (var thumbprint in new[] { simulator.CertificateThumbprint!, sha256 })
        {
            var log = new List<string>();
            using var session = await GraphConnector.ConnectAsync(Options(simulator, thumbprint, log), null, CancellationToken.None);
            var skus = await session.Gateway.GetSubscribedSkusAsync(CancellationToken.None);
            Assert.Equal(5, skus.Count);
            Assert.Contains($"Trusting the server certificate with thumbprint {thumbprint} for {simulator.GraphBaseUrl}.", log);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0000000000000000000000000000000000000000")]
    public async Task Connect_OverHttps_WithoutThatThumbprint_FailsAtOnceWithUntrustedCertificate(string? thumbprint)
    {
        await using var simulator = await SimulatorHost.StartAsync("--https", "--users", "10", "--token", "t");

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() =>
            GraphConnector.ConnectAsync(Options(simulator, thumbprint, new List<string>()), null, CancellationToken.None));

        Assert.Equal(ErrorIds.UntrustedCertificate, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.SecurityError, error.Category);
        Assert.Contains("-TrustedCertificateThumbprint", error.Message);
        Assert.Equal(0, (await simulator.GetStatsAsync()).Requests); // nothing reached Graph, and no retry was tried
    }

    [Fact]
    public async Task Connect_WithAThumbprint_ToAPlainHttpEndpoint_IsRefusedWithInvalidGraphEndpoint()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "10", "--token", "t");

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() =>
            GraphConnector.ConnectAsync(Options(simulator, "9DBDFCB92B459262B3A2AF9352E071E0D6D68634", new List<string>()), null, CancellationToken.None));

        Assert.Equal(ErrorIds.InvalidGraphEndpoint, error.ErrorId);
        Assert.Contains("-TrustedCertificateThumbprint needs an https Graph endpoint", error.Message);
        Assert.Equal(0, (await simulator.GetStatsAsync()).Requests);
    }

    private static ConnectionOptions Options(RunningSimulator simulator, string? thumbprint, List<string> log) => new()
    {
        AuthMethod = GraphAuthMethod.AccessToken,
        AccessToken = TestGateways.Secure("t"),
        GraphEndpoint = simulator.GraphBaseUrl,
        TrustedCertificateThumbprint = thumbprint,
        Resilience = SimulatorConnection.FastResilience(),
        Verbose = log.Add,
    };

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
