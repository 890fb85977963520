using System;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>
    /// A token obtained elsewhere (-AccessToken), handed out as is. It cannot be refreshed: when Graph rejects it the
    /// session reports TokenExpired. The token is held as a SecureString copy and read only when a request is signed.
    /// </summary>
    public sealed class StaticAccessTokenCredential : TokenCredential, IDisposable
    {
        private readonly SecureString _token;
        private readonly DateTimeOffset _expiresOn;

        public StaticAccessTokenCredential(SecureString token)
        {
            if (token == null || token.Length == 0)
            {
                throw new E4UpgradeException(ErrorIds.AuthenticationFailed, ErrorCategoryNames.InvalidArgument, "The access token is empty.");
            }

            _token = token.Copy();
            _token.MakeReadOnly();
            var claims = AccessTokenClaims.TryRead(SecureStringReader.Read(_token));
            _expiresOn = claims?.ExpiresOn ?? DateTimeOffset.MaxValue;
            Claims = claims;
        }

        /// <summary>Claims read from the token when it is a JWT (tenant id, app id, expiry); null for an opaque token.</summary>
        public AccessTokenClaims? Claims { get; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new AccessToken(SecureStringReader.Read(_token), _expiresOn);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new ValueTask<AccessToken>(GetToken(requestContext, cancellationToken));

        public void Dispose() => _token.Dispose();

        public override string ToString() => nameof(StaticAccessTokenCredential);
    }
}
