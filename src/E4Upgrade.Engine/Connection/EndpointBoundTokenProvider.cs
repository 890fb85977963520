using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Microsoft.Kiota.Abstractions.Authentication;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>
    /// Signs requests only for the configured Graph endpoint's origin (scheme, host and port); any other URL gets no
    /// token at all. Also serves the SDK's AllowedHostsValidator, which otherwise would silently withhold the token from
    /// a non-Microsoft host such as the loopback simulator.
    /// </summary>
    public sealed class EndpointBoundTokenProvider : IAccessTokenProvider
    {
        private readonly TokenCredential _credential;
        private readonly string[] _scopes;
        private readonly Uri _graphEndpoint;

        public EndpointBoundTokenProvider(TokenCredential credential, IEnumerable<string> scopes, Uri graphEndpoint)
        {
            _credential = credential ?? throw new ArgumentNullException(nameof(credential));
            _scopes = new List<string>(scopes ?? throw new ArgumentNullException(nameof(scopes))).ToArray();
            _graphEndpoint = graphEndpoint ?? throw new ArgumentNullException(nameof(graphEndpoint));
            AllowedHostsValidator = new AllowedHostsValidator(new[] { graphEndpoint.Host });
        }

        public AllowedHostsValidator AllowedHostsValidator { get; }

        /// <summary>
        /// The tenant id (tid claim) of the last token Entra issued: known for every sign-in method, including a
        /// managed identity or device code without -TenantId, once one request was signed. Null for a token that is
        /// not a JWT (the simulator's).
        /// </summary>
        public string? TokenTenantId { get; private set; }

        public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
        {
            if (uri == null || !GraphEndpointPolicy.IsSameOrigin(_graphEndpoint, uri) || !AllowedHostsValidator.IsUrlHostValid(uri))
            {
                return string.Empty;
            }

            string? claims = null;
            if (additionalAuthenticationContext != null
                && additionalAuthenticationContext.TryGetValue("claims", out var value)
                && value is string text)
            {
                claims = text;
            }

            var token = await _credential.GetTokenAsync(new TokenRequestContext(_scopes, claims: claims), cancellationToken).ConfigureAwait(false);
            var tenant = AccessTokenClaims.TryRead(token.Token)?.TenantId;
            if (!string.IsNullOrWhiteSpace(tenant))
            {
                TokenTenantId = tenant;
            }

            return token.Token;
        }
    }
}
