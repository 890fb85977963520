using System;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>
    /// -ManagedIdentity: Azure.Identity's ManagedIdentityCredential (system-assigned, or user-assigned by client id),
    /// whose failures become the module's error ids with what the sign-in needs. Azure.Identity picks the endpoint:
    /// IDENTITY_ENDPOINT with IDENTITY_HEADER (an Azure Automation job, App Service), else the instance metadata service
    /// of an Azure VM or Arc-enabled server. Every token comes from the credential, which refreshes it before it
    /// expires; nothing here keeps one.
    /// </summary>
    public sealed class ManagedIdentitySignIn : TokenCredential
    {
        private readonly TokenCredential _credential;
        private readonly string? _clientId;
        private readonly Func<string, string?> _environment;

        public ManagedIdentitySignIn(string? clientId)
            : this(clientId, null, Environment.GetEnvironmentVariable)
        {
        }

        /// <param name="credential">The credential to ask; null = ManagedIdentityCredential for the client id.</param>
        /// <param name="environment">Reads an environment variable (tests pass their own).</param>
        internal ManagedIdentitySignIn(string? clientId, TokenCredential? credential, Func<string, string?> environment)
        {
            _clientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId;
            _environment = environment;
            _credential = credential ?? new ManagedIdentityCredential(_clientId == null
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(_clientId));
        }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            try
            {
                return _credential.GetToken(requestContext, cancellationToken);
            }
            catch (AuthenticationFailedException failure)
            {
                throw Translate(failure);
            }
        }

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            try
            {
                return await _credential.GetTokenAsync(requestContext, cancellationToken).ConfigureAwait(false);
            }
            catch (AuthenticationFailedException failure)
            {
                throw Translate(failure);
            }
        }

        /// <summary>CredentialUnavailableException (a subclass) means nothing answered; any other failure, an endpoint that refused.</summary>
        internal E4UpgradeException Translate(AuthenticationFailedException failure)
        {
            var identity = _clientId == null ? "the system-assigned identity" : $"the user-assigned identity with client id {_clientId}";
            var endpoint = _environment("IDENTITY_ENDPOINT");
            var detail = FirstLine(failure.Message);
            if (failure is CredentialUnavailableException)
            {
                return new E4UpgradeException(
                    ErrorIds.ManagedIdentityUnavailable,
                    ErrorCategoryNames.AuthenticationError,
                    $"-ManagedIdentity found no managed identity for {identity} here ({(endpoint == null ? "IDENTITY_ENDPOINT is not set and the instance metadata service did not answer" : "IDENTITY_ENDPOINT " + endpoint + " did not answer")}). "
                    + "It needs a place where Azure serves one: an Azure Automation job (the sandbox sets IDENTITY_ENDPOINT and IDENTITY_HEADER) with the account's identity enabled, "
                    + "an Azure VM or Arc-enabled server with the identity assigned, or App Service; a user-assigned identity also needs -ClientId. "
                    + $"Outside Azure, connect with -CertificateThumbprint, -Certificate, -ClientSecret or -DeviceCode. ({detail})",
                    failure);
            }

            return new E4UpgradeException(
                ErrorIds.ManagedIdentityRefused,
                ErrorCategoryNames.AuthenticationError,
                $"The managed identity endpoint{(endpoint == null ? string.Empty : " " + endpoint)} refused a token for {identity}: {detail} "
                + "In an Azure Automation job, IDENTITY_ENDPOINT and IDENTITY_HEADER are the sandbox's own (do not set them in the runbook), "
                + "and a user-assigned identity must be added to the Automation account, with its client id passed as -ClientId.",
                failure);
        }

        private static string FirstLine(string message)
        {
            var text = message.Trim();
            var end = text.IndexOfAny(new[] { '\r', '\n' });
            return end < 0 ? text : text.Substring(0, end);
        }

        public override string ToString() => nameof(ManagedIdentitySignIn);
    }
}
