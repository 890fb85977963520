using System;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>Turns connection options into the Azure.Identity credential of the chosen sign-in method.</summary>
    public static class CredentialFactory
    {
        public static TokenCredential Create(ConnectionOptions options, Action<string>? deviceCodeMessage)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            var authority = GraphCloud.AuthorityHost(options.Environment);
            try
            {
                switch (options.AuthMethod)
                {
                    case GraphAuthMethod.ClientSecret:
                        RequireAppIdentity(options);
                        if (SecureStringReader.IsNullOrEmpty(options.ClientSecret))
                        {
                            throw Missing("ClientSecret", options.AuthMethod);
                        }

                        return new ClientSecretCredential(
                            options.TenantId,
                            options.ClientId,
                            SecureStringReader.Read(options.ClientSecret!),
                            new ClientSecretCredentialOptions { AuthorityHost = authority });

                    case GraphAuthMethod.CertificateThumbprint:
                        RequireAppIdentity(options);
                        if (string.IsNullOrWhiteSpace(options.CertificateThumbprint))
                        {
                            throw Missing("CertificateThumbprint", options.AuthMethod);
                        }

                        return CertificateCredential(options, CertificateStoreLookup.FindByThumbprint(options.CertificateThumbprint!), authority);

                    case GraphAuthMethod.Certificate:
                        RequireAppIdentity(options);
                        if (options.Certificate == null)
                        {
                            throw Missing("Certificate", options.AuthMethod);
                        }

                        if (!options.Certificate.HasPrivateKey)
                        {
                            throw new E4UpgradeException(
                                ErrorIds.AuthenticationFailed,
                                ErrorCategoryNames.InvalidArgument,
                                $"The certificate {options.Certificate.Thumbprint} has no private key; app sign-in needs one.");
                        }

                        return CertificateCredential(options, options.Certificate, authority);

                    case GraphAuthMethod.ManagedIdentity:
                        return new ManagedIdentitySignIn(options.ClientId);

                    case GraphAuthMethod.DeviceCode:
                        var deviceOptions = new DeviceCodeCredentialOptions
                        {
                            AuthorityHost = authority,
                            TenantId = string.IsNullOrWhiteSpace(options.TenantId) ? "organizations" : options.TenantId,
                        };
                        if (!string.IsNullOrWhiteSpace(options.ClientId))
                        {
                            deviceOptions.ClientId = options.ClientId;
                        }

                        if (deviceCodeMessage != null)
                        {
                            deviceOptions.DeviceCodeCallback = (code, _) =>
                            {
                                deviceCodeMessage(code.Message);
                                return Task.CompletedTask;
                            };
                        }

                        return new DeviceCodeCredential(deviceOptions);

                    case GraphAuthMethod.AccessToken:
                        if (SecureStringReader.IsNullOrEmpty(options.AccessToken))
                        {
                            throw Missing("AccessToken", options.AuthMethod);
                        }

                        return new StaticAccessTokenCredential(options.AccessToken!);

                    default:
                        throw new E4UpgradeException(ErrorIds.AuthenticationFailed, ErrorCategoryNames.InvalidArgument, $"Unknown sign-in method '{options.AuthMethod}'.");
                }
            }
            catch (ArgumentException argument)
            {
                // Azure.Identity validates tenant and client ids; its messages name the parameter, never a secret.
                throw new E4UpgradeException(ErrorIds.AuthenticationFailed, ErrorCategoryNames.InvalidArgument, $"Invalid {options.AuthMethod} sign-in settings: {argument.Message}");
            }
        }

        private static TokenCredential CertificateCredential(ConnectionOptions options, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, Uri authority) =>
            new ClientCertificateCredential(options.TenantId, options.ClientId, certificate, new ClientCertificateCredentialOptions { AuthorityHost = authority });

        private static void RequireAppIdentity(ConnectionOptions options)
        {
            if (string.IsNullOrWhiteSpace(options.TenantId))
            {
                throw Missing("TenantId", options.AuthMethod);
            }

            if (string.IsNullOrWhiteSpace(options.ClientId))
            {
                throw Missing("ClientId", options.AuthMethod);
            }
        }

        private static E4UpgradeException Missing(string what, GraphAuthMethod method) =>
            new E4UpgradeException(ErrorIds.AuthenticationFailed, ErrorCategoryNames.InvalidArgument, $"{method} sign-in needs {what}.");
    }
}
