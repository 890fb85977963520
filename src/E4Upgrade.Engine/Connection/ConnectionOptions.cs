using System;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>What Connect-E4Upgrade was given. Secrets stay in SecureString / certificate objects; nothing here prints them.</summary>
    public sealed class ConnectionOptions
    {
        public GraphAuthMethod AuthMethod { get; set; }

        public string? TenantId { get; set; }

        /// <summary>App (client) id; for ManagedIdentity, the user-assigned identity's client id (null = system-assigned).</summary>
        public string? ClientId { get; set; }

        public SecureString? ClientSecret { get; set; }

        public X509Certificate2? Certificate { get; set; }

        /// <summary>Looked up in CurrentUser\My, then LocalMachine\My.</summary>
        public string? CertificateThumbprint { get; set; }

        public SecureString? AccessToken { get; set; }

        public GraphEnvironment Environment { get; set; } = GraphEnvironment.Global;

        /// <summary>Graph service root including the version; null means the environment's default.</summary>
        public Uri? GraphEndpoint { get; set; }

        /// <summary>
        /// Thumbprint of the one server certificate to trust besides the system's (a test server's self-signed
        /// certificate); only with an https <see cref="GraphEndpoint"/>. See <see cref="TrustedCertificate"/>.
        /// </summary>
        public string? TrustedCertificateThumbprint { get; set; }

        public GraphResilienceOptions Resilience { get; set; } = new GraphResilienceOptions();

        /// <summary>The session's resource-unit budget; null = Graph's documented quota by tenant size.</summary>
        public ResourceUnitBudgetSettings? ResourceUnits { get; set; }

        /// <summary>Verbose log sink (Write-Verbose). Never receives tokens or secrets.</summary>
        public Action<string>? Verbose { get; set; }

        /// <summary>Warning sink (Write-Warning): an -AccessToken that expires before an upgrade of the tenant could end.</summary>
        public Action<string>? Warning { get; set; }

        /// <summary>The endpoint actually used: the given one, or the environment's default.</summary>
        public Uri ResolveGraphEndpoint() => GraphEndpointPolicy.Validate(GraphEndpoint ?? GraphCloud.DefaultGraphEndpoint(Environment));

        /// <summary>The certificate to trust besides the system's, or null; throws for a malformed thumbprint or a plain http endpoint.</summary>
        public TrustedCertificate? ResolveTrustedCertificate(Uri endpoint)
        {
            if (TrustedCertificateThumbprint == null)
            {
                return null;
            }

            var trusted = TrustedCertificate.Parse(TrustedCertificateThumbprint);
            if (!string.Equals(endpoint.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
            {
                throw new E4UpgradeException(
                    ErrorIds.InvalidGraphEndpoint,
                    ErrorCategoryNames.InvalidArgument,
                    $"-TrustedCertificateThumbprint needs an https Graph endpoint; '{endpoint}' is plain http, where no certificate is involved.");
            }

            return trusted;
        }

        public override string ToString() =>
            $"{AuthMethod} tenant={TenantId ?? "(none)"} client={ClientId ?? "(none)"} endpoint={GraphEndpoint?.ToString() ?? Environment.ToString()}";
    }
}
