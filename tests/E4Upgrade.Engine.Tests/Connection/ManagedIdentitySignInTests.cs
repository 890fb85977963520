using Azure.Core;
using Azure.Identity;
using E4Upgrade.Engine.Connection;
using Xunit;

namespace E4Upgrade.Engine.Tests.Connection;

/// <summary>
/// What -ManagedIdentity says when Azure.Identity fails: no endpoint answered (outside Azure) or the endpoint refused.
/// The credential here is a stand-in that throws what ManagedIdentityCredential throws; nothing leaves the process.
/// The real endpoint protocol is proven through the built module (tests/pester/ManagedIdentity.Tests.ps1).
/// </summary>
public sealed class ManagedIdentitySignInTests
{
    private static readonly TokenRequestContext Graph = new(new[] { "https://graph.microsoft.com/.default" });

    [Fact]
    public async Task Outside_Azure_the_error_says_what_ManagedIdentity_needs()
    {
        var signIn = new ManagedIdentitySignIn(null, new Throwing(new CredentialUnavailableException("ManagedIdentityCredential authentication unavailable. No response received from the managed identity endpoint.")), _ => null);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => signIn.GetTokenAsync(Graph, CancellationToken.None).AsTask());

        Assert.Equal(ErrorIds.ManagedIdentityUnavailable, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.AuthenticationError, error.Category);
        Assert.Contains("IDENTITY_ENDPOINT is not set", error.Message);
        Assert.Contains("Azure Automation job", error.Message);
        Assert.Contains("-CertificateThumbprint", error.Message);
        Assert.Contains("No response received", error.Message);
    }

    [Fact]
    public void An_endpoint_that_refuses_gives_ManagedIdentityRefused_naming_the_identity_and_the_endpoint()
    {
        var environment = new Dictionary<string, string?> { ["IDENTITY_ENDPOINT"] = "http://127.0.0.1:1/msi/token" };
        var signIn = new ManagedIdentitySignIn("0f0e0d0c-0000-4000-8000-000000000001", new Throwing(new AuthenticationFailedException("ManagedIdentityCredential authentication failed: X-IDENTITY-HEADER does not match.\nSee the troubleshooting guide.")), n => environment.GetValueOrDefault(n));

        var error = Assert.Throws<E4UpgradeException>(() => signIn.GetToken(Graph, CancellationToken.None));

        Assert.Equal(ErrorIds.ManagedIdentityRefused, error.ErrorId);
        Assert.Contains("user-assigned identity with client id 0f0e0d0c-0000-4000-8000-000000000001", error.Message);
        Assert.Contains("http://127.0.0.1:1/msi/token", error.Message);
        Assert.Contains("X-IDENTITY-HEADER does not match.", error.Message);
        Assert.DoesNotContain("troubleshooting", error.Message);
    }

    [Fact]
    public async Task A_token_passes_through_unchanged()
    {
        var token = new AccessToken("abc", DateTimeOffset.UtcNow.AddHours(1));
        var signIn = new ManagedIdentitySignIn(null, new Issuing(token), _ => null);

        Assert.Equal(token.Token, (await signIn.GetTokenAsync(Graph, CancellationToken.None)).Token);
    }

    private sealed class Throwing(Exception exception) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw exception;

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw exception;
    }

    private sealed class Issuing(AccessToken token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => token;

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token);
    }
}
