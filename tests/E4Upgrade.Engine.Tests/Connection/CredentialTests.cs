using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Azure.Core;
using Azure.Identity;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Tests.Graph;
using Xunit;

namespace E4Upgrade.Engine.Tests.Connection;

public class CredentialTests
{
    private const string Tenant = "11111111-2222-3333-4444-555555555555";
    private const string Client = "66666666-7777-8888-9999-000000000000";
    private const string Secret = "super-secret-value-123";

    [Fact]
    public void Each_method_gets_its_azure_identity_credential()
    {
        using var certificate = SelfSigned();
        Assert.IsType<ClientSecretCredential>(CredentialFactory.Create(new ConnectionOptions { AuthMethod = GraphAuthMethod.ClientSecret, TenantId = Tenant, ClientId = Client, ClientSecret = TestGateways.Secure(Secret) }, null));
        Assert.IsType<ClientCertificateCredential>(CredentialFactory.Create(new ConnectionOptions { AuthMethod = GraphAuthMethod.Certificate, TenantId = Tenant, ClientId = Client, Certificate = certificate }, null));
        Assert.IsType<ManagedIdentitySignIn>(CredentialFactory.Create(new ConnectionOptions { AuthMethod = GraphAuthMethod.ManagedIdentity }, null));
        Assert.IsType<ManagedIdentitySignIn>(CredentialFactory.Create(new ConnectionOptions { AuthMethod = GraphAuthMethod.ManagedIdentity, ClientId = Client }, null));
        Assert.IsType<DeviceCodeCredential>(CredentialFactory.Create(new ConnectionOptions { AuthMethod = GraphAuthMethod.DeviceCode, TenantId = Tenant, ClientId = Client }, _ => { }));
        Assert.IsType<StaticAccessTokenCredential>(CredentialFactory.Create(new ConnectionOptions { AuthMethod = GraphAuthMethod.AccessToken, AccessToken = TestGateways.Secure("abc") }, null));
    }

    [Theory]
    [InlineData(GraphAuthMethod.ClientSecret, "ClientSecret")]
    [InlineData(GraphAuthMethod.CertificateThumbprint, "CertificateThumbprint")]
    [InlineData(GraphAuthMethod.Certificate, "Certificate")]
    [InlineData(GraphAuthMethod.AccessToken, "AccessToken")]
    public void Missing_settings_are_reported_as_invalid_argument(GraphAuthMethod method, string missing)
    {
        var error = Assert.Throws<E4UpgradeException>(() => CredentialFactory.Create(new ConnectionOptions { AuthMethod = method, TenantId = Tenant, ClientId = Client }, null));
        Assert.Equal(ErrorIds.AuthenticationFailed, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.InvalidArgument, error.Category);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void App_sign_in_needs_tenant_and_client()
    {
        var error = Assert.Throws<E4UpgradeException>(() => CredentialFactory.Create(new ConnectionOptions { AuthMethod = GraphAuthMethod.ClientSecret, ClientId = Client, ClientSecret = TestGateways.Secure(Secret) }, null));
        Assert.Contains("TenantId", error.Message);
    }

    [Fact]
    public void Unknown_thumbprint_is_object_not_found()
    {
        var error = Assert.Throws<E4UpgradeException>(() => CertificateStoreLookup.FindByThumbprint("00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF 00 11 22 33"));
        Assert.Equal(ErrorIds.AuthenticationFailed, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.ObjectNotFound, error.Category);
        Assert.Contains("00112233445566778899AABBCCDDEEFF00112233", error.Message);
    }

    [Fact]
    public void Thumbprint_is_found_in_the_current_user_store()
    {
        using var certificate = SelfSigned();
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(certificate);
        try
        {
            using var found = CertificateStoreLookup.FindByThumbprint(certificate.Thumbprint.ToLowerInvariant());
            Assert.Equal(certificate.Thumbprint, found.Thumbprint);
            Assert.True(found.HasPrivateKey);
        }
        finally
        {
            store.Remove(certificate);
        }
    }

    [Fact]
    public void Connection_options_never_print_secrets()
    {
        var options = new ConnectionOptions
        {
            AuthMethod = GraphAuthMethod.ClientSecret,
            TenantId = Tenant,
            ClientId = Client,
            ClientSecret = TestGateways.Secure(Secret),
            AccessToken = TestGateways.Secure("token-value-xyz"),
        };

        Assert.DoesNotContain(Secret, options.ToString());
        Assert.DoesNotContain("token-value-xyz", options.ToString());
    }

    [Fact]
    public async Task Static_token_is_handed_out_and_its_claims_are_read()
    {
        var payload = Base64Url("{\"tid\":\"" + Tenant + "\",\"appid\":\"" + Client + "\",\"exp\":4102444800}");
        var jwt = "eyJhbGciOiJub25lIn0." + payload + ".sig";
        using var credential = new StaticAccessTokenCredential(TestGateways.Secure(jwt));

        var token = await credential.GetTokenAsync(new TokenRequestContext(new[] { "x/.default" }), CancellationToken.None);

        Assert.Equal(jwt, token.Token);
        Assert.Equal(Tenant, credential.Claims!.TenantId);
        Assert.Equal(Client, credential.Claims.ClientId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(4102444800), credential.Claims.ExpiresOn);
        Assert.DoesNotContain(jwt, credential.ToString());
    }

    [Fact]
    public void Opaque_tokens_have_no_claims()
    {
        using var credential = new StaticAccessTokenCredential(TestGateways.Secure("opaque-simulator-token"));
        Assert.Null(credential.Claims);
    }

    [Fact]
    public async Task Token_goes_only_to_the_endpoint_origin()
    {
        using var credential = new StaticAccessTokenCredential(TestGateways.Secure("the-token"));
        var provider = new EndpointBoundTokenProvider(credential, new[] { "https://graph.microsoft.com/.default" }, new Uri("https://graph.microsoft.com/v1.0"));

        Assert.Equal("the-token", await provider.GetAuthorizationTokenAsync(new Uri("https://graph.microsoft.com/v1.0/users")));
        Assert.Equal("", await provider.GetAuthorizationTokenAsync(new Uri("https://evil.example/v1.0/users")));
        Assert.Equal("", await provider.GetAuthorizationTokenAsync(new Uri("http://graph.microsoft.com/v1.0/users")));
        Assert.Equal("", await provider.GetAuthorizationTokenAsync(new Uri("https://graph.microsoft.com:8443/v1.0/users")));
        Assert.Equal(new[] { "graph.microsoft.com" }, provider.AllowedHostsValidator.AllowedHosts);
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=E4Upgrade test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
    }
}
