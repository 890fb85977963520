using System;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>
    /// Builds a Graph session from connection options and proves it with one cheap read (GET subscribedSkus); when the
    /// token names no tenant, also reads the tenant id from GET /organization.
    /// </summary>
    public static class GraphConnector
    {
        /// <param name="deviceCodeMessage">Receives the device-code sign-in instructions (DeviceCode only).</param>
        public static async Task<GraphSession> ConnectAsync(ConnectionOptions options, Action<string>? deviceCodeMessage, CancellationToken cancellationToken)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            var endpoint = options.ResolveGraphEndpoint();
            var trustedCertificate = options.ResolveTrustedCertificate(endpoint);
            // The session's parts write through the relay, never to options.Verbose (the connecting cmdlet's stream,
            // which is finished once Connect-E4Upgrade returns); the connect itself attaches that stream below.
            var relay = new VerboseRelay();
            using var attached = relay.Attach(options.Verbose);
            Action<string> verbose = relay.Write;
            var resilience = options.Resilience ?? new GraphResilienceOptions();
            var credential = CredentialFactory.Create(options, deviceCodeMessage);
            var claims = (credential as StaticAccessTokenCredential)?.Claims;
            if (claims?.ExpiresOn != null && claims.ExpiresOn.Value <= DateTimeOffset.UtcNow)
            {
                (credential as IDisposable)?.Dispose();
                throw new E4UpgradeException(
                    ErrorIds.TokenExpired,
                    ErrorCategoryNames.AuthenticationError,
                    $"The access token expired at {claims.ExpiresOn.Value:u}; get a new token and connect again.");
            }

            var scope = GraphCloud.DefaultScope(endpoint);
            verbose($"Connecting to {endpoint} with {options.AuthMethod} (scope {scope}).");

            if (trustedCertificate != null)
            {
                verbose($"Trusting the server certificate with thumbprint {trustedCertificate.Thumbprint} for {endpoint}.");
            }

            // One budget per session: every call of its client and the gateway's tenant-size hints meet here.
            var budget = new ResourceUnitBudget(options.ResourceUnits, new SystemClock(), verbose);
            // One Retry-After reader per session: the pipeline's budget and the gateway's reads and writes bound and log alike.
            var retryAfter = new RetryAfterHeader(resilience.MaxRetryAfter, verbose);
            var httpClient = GraphHttpPipeline.CreateHttpClient(resilience, trustedCertificate?.CreateHandler(), budget, retryAfter);
            var tokens = new EndpointBoundTokenProvider(credential, new[] { scope }, endpoint);
            var authentication = new BaseBearerTokenAuthenticationProvider(tokens);
            var client = new GraphServiceClient(httpClient, authentication, endpoint.AbsoluteUri.TrimEnd('/'));
            var gateway = new GraphLicensingGateway(client, endpoint, options.AuthMethod, resilience, verbose, budget, retryAfter);
            var session = new GraphSession(
                client,
                httpClient,
                credential as IDisposable,
                gateway,
                endpoint,
                options.AuthMethod,
                options.Environment,
                FirstNonEmpty(options.TenantId, claims?.TenantId),
                FirstNonEmpty(options.ClientId, claims?.ClientId),
                DateTimeOffset.UtcNow,
                tokens,
                relay,
                resilience)
            {
                AccessTokenExpiresOn = claims?.ExpiresOn,
                StorageCredential = options.AuthMethod == GraphAuthMethod.AccessToken ? null : credential,
            };

            try
            {
                var skus = await gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
                verbose($"Connected to {endpoint}: the tenant has {skus.Count} subscribed SKU(s).");
                var shortToken = claims?.ExpiresOn == null ? null : AccessTokenLifetime.WarningFor(claims.ExpiresOn.Value, DateTimeOffset.UtcNow, skus);
                if (shortToken != null)
                {
                    options.Warning?.Invoke(shortToken);
                }

                if (string.IsNullOrWhiteSpace(tokens.TokenTenantId))
                {
                    // Journals are keyed by tenant: without a tid claim, ask the directory which tenant this is.
                    session.OrganizationTenantId = await OrganizationTenantReader.ReadAsync(client, gateway.Reads, verbose, cancellationToken).ConfigureAwait(false);
                }

                return session;
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        private static string? FirstNonEmpty(string? first, string? second) =>
            !string.IsNullOrWhiteSpace(first) ? first : (!string.IsNullOrWhiteSpace(second) ? second : null);
    }
}
