using System;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Infrastructure;
using E4Upgrade.Output;

namespace E4Upgrade.Cmdlets
{
    /// <summary>Signs in to Microsoft Graph with Azure.Identity and keeps the session for the module's cmdlets.</summary>
    [Cmdlet(VerbsCommunications.Connect, "E4Upgrade", DefaultParameterSetName = DeviceCodeSet)]
    [OutputType(typeof(E4UpgradeConnection))]
    public sealed class ConnectE4UpgradeCommand : AsyncCmdlet
    {
        private const string ClientSecretSet = "ClientSecret";
        private const string CertificateThumbprintSet = "CertificateThumbprint";
        private const string CertificateSet = "Certificate";
        private const string ManagedIdentitySet = "ManagedIdentity";
        private const string DeviceCodeSet = "DeviceCode";
        private const string AccessTokenSet = "AccessToken";

        [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateThumbprintSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = DeviceCodeSet)]
        [ValidateNotNullOrEmpty]
        public string? TenantId { get; set; }

        [Parameter(ParameterSetName = ClientSecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateThumbprintSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = DeviceCodeSet)]
        [Alias("ApplicationId", "AppId")]
        [ValidateNotNullOrEmpty]
        public string? ClientId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
        [ValidateNotNull]
        public PSCredential? ClientSecret { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CertificateThumbprintSet)]
        [ValidateNotNullOrEmpty]
        public string? CertificateThumbprint { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [ValidateNotNull]
        public X509Certificate2? Certificate { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ManagedIdentitySet)]
        public SwitchParameter ManagedIdentity { get; set; }

        [Parameter(ParameterSetName = DeviceCodeSet)]
        public SwitchParameter DeviceCode { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [ValidateNotNull]
        public SecureString? AccessToken { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Uri? GraphEndpoint { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TrustedCertificateThumbprint { get; set; }

        // A string, not the engine's GraphEnvironment enum: see ModuleInitializer.
        [Parameter]
        [ValidateSet("Global", "USGov", "USGovDoD", "China", IgnoreCase = true)]
        public string Environment { get; set; } = "Global";

        protected override void EndProcessing()
        {
            var options = new ConnectionOptions
            {
                AuthMethod = AuthMethodOf(ParameterSetName),
                TenantId = TenantId,
                ClientId = ClientId ?? (ClientSecret != null ? NullIfEmpty(ClientSecret.UserName) : null),
                ClientSecret = ClientSecret?.Password,
                CertificateThumbprint = CertificateThumbprint,
                Certificate = Certificate,
                AccessToken = AccessToken,
                GraphEndpoint = GraphEndpoint,
                TrustedCertificateThumbprint = TrustedCertificateThumbprint,
                Environment = (GraphEnvironment)Enum.Parse(typeof(GraphEnvironment), Environment, ignoreCase: true),
                Verbose = Output.Verbose,
                Warning = Output.Warning,
            };

            GraphSession? session = null;
            Run(async ct => session = await GraphConnector.ConnectAsync(options, Output.Warning, ct).ConfigureAwait(false));
            if (session == null)
            {
                return;
            }

            ModuleSession.Set(session);
            WriteObject(new E4UpgradeConnection(session.AuthMethod.ToString(), session.DirectoryTenantId, session.ClientId, session.GraphEndpoint, session.ConnectedAt));
        }

        private static GraphAuthMethod AuthMethodOf(string parameterSet)
        {
            switch (parameterSet)
            {
                case ClientSecretSet: return GraphAuthMethod.ClientSecret;
                case CertificateThumbprintSet: return GraphAuthMethod.CertificateThumbprint;
                case CertificateSet: return GraphAuthMethod.Certificate;
                case ManagedIdentitySet: return GraphAuthMethod.ManagedIdentity;
                case AccessTokenSet: return GraphAuthMethod.AccessToken;
                default: return GraphAuthMethod.DeviceCode;
            }
        }

        private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
