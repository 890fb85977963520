using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using Microsoft.Graph;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>A signed-in connection to Graph: the gateway and what the session is, never the credential itself.</summary>
    public sealed class GraphSession : IDisposable
    {
        private readonly GraphServiceClient _client;
        private readonly HttpClient _httpClient;
        private readonly IDisposable? _credential;
        private readonly EndpointBoundTokenProvider? _tokens;
        private bool _disposed;

        internal GraphSession(
            GraphServiceClient client,
            HttpClient httpClient,
            IDisposable? credential,
            ILicensingGateway gateway,
            Uri graphEndpoint,
            GraphAuthMethod authMethod,
            GraphEnvironment environment,
            string? tenantId,
            string? clientId,
            DateTimeOffset connectedAt,
            EndpointBoundTokenProvider? tokens = null,
            VerboseRelay? verbose = null,
            Resilience.GraphResilienceOptions? resilience = null)
        {
            var limits = resilience ?? new Resilience.GraphResilienceOptions();
            // A write already sent is not cancelled (its outcome must be known): it may first wait out a session pause
            // (at most one bounded Retry-After), then run for up to one request timeout.
            InFlightBound = limits.MaxRetryAfter + limits.RequestTimeout + TimeSpan.FromSeconds(5);
            Verbose = verbose ?? new VerboseRelay();
            _tokens = tokens;
            _client = client;
            _httpClient = httpClient;
            _credential = credential;
            Gateway = gateway;
            GraphEndpoint = graphEndpoint;
            AuthMethod = authMethod;
            Environment = environment;
            TenantId = tenantId;
            ClientId = clientId;
            ConnectedAt = connectedAt;
        }

        public ILicensingGateway Gateway { get; }

        /// <summary>The credential a journal in blob storage may use (storage scope); null for -AccessToken, whose token is Graph's only.</summary>
        internal Azure.Core.TokenCredential? StorageCredential { get; set; }

        /// <summary>Where the session's gateway, retries and budget write verbose text: attach the running cmdlet's stream.</summary>
        public VerboseRelay Verbose { get; }

        public Uri GraphEndpoint { get; }

        public GraphAuthMethod AuthMethod { get; }

        public GraphEnvironment Environment { get; }

        /// <summary>As given, or read from the access token's tid claim; null when neither says.</summary>
        public string? TenantId { get; }

        public string? ClientId { get; }

        /// <summary>
        /// The tenant the journal belongs to: the tid claim of the tokens Graph accepted (a tenant id, whatever was
        /// passed as -TenantId), else the id of GET /organization (read at connect when the token names no tenant:
        /// a managed identity's or an opaque token), else the tenant as given. Null only when none is known.
        /// </summary>
        public string? DirectoryTenantId => _tokens?.TokenTenantId ?? OrganizationTenantId ?? TenantId;

        /// <summary>The id of the tenant's organization (GET /organization), when the token named no tenant; else null.</summary>
        public string? OrganizationTenantId { get; internal set; }

        public DateTimeOffset ConnectedAt { get; }

        /// <summary>
        /// The longest a request of this session may still be in flight after its run was cancelled: how long a cmdlet
        /// waits for its work to settle before it returns, so that no write outlives it.
        /// </summary>
        public TimeSpan InFlightBound { get; }

        /// <summary>When the session's token expires, for a token that cannot be refreshed (-AccessToken with exp); else null.</summary>
        public DateTimeOffset? AccessTokenExpiresOn { get; internal set; }

        /// <summary>
        /// The Graph permissions of the token the session signs with now (its roles or scp claim), asked from the same
        /// credential as every request; null when the token is not a JWT (nothing can be read from it).
        /// </summary>
        public async Task<TokenPermissions?> ReadTokenPermissionsAsync(CancellationToken cancellationToken)
        {
            if (_tokens == null)
            {
                return null;
            }

            var token = await _tokens.GetAuthorizationTokenAsync(GraphEndpoint, null, cancellationToken).ConfigureAwait(false);
            return TokenPermissions.TryRead(token);
        }

        public bool IsDisposed => _disposed;

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _client.Dispose();
            _httpClient.Dispose();
            _credential?.Dispose();
        }

        public override string ToString() => $"{AuthMethod} session to {GraphEndpoint} (tenant {TenantId ?? "unknown"})";
    }
}
