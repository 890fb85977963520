using System;
using System.Linq;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>
    /// Connect-E4Upgrade -TrustedCertificateThumbprint: trusts ONE server certificate, named by its SHA-1 (40 hex
    /// digits, as Windows shows it) or SHA-256 (64) thumbprint, on top of what the system trusts. Meant for a test
    /// server with a self-signed certificate such as the Graph simulator's --https. Only a certificate whose chain
    /// cannot be built is let through, and only when it is that very certificate: a wrong host name, or any other
    /// certificate, still fails as usual. Nothing here turns TLS checks off.
    /// </summary>
    public sealed class TrustedCertificate
    {
        private readonly string _thumbprint;

        private TrustedCertificate(string thumbprint)
        {
            _thumbprint = thumbprint;
        }

        /// <summary>Upper-case hex without separators; spaces and colons in the input are ignored.</summary>
        public string Thumbprint => _thumbprint;

        /// <summary>Parses a thumbprint; throws <see cref="ErrorIds.InvalidCertificateThumbprint"/> when it is not 40 or 64 hex digits.</summary>
        public static TrustedCertificate Parse(string? thumbprint)
        {
            var normalized = new string((thumbprint ?? string.Empty).Where(c => c != ' ' && c != ':').ToArray()).ToUpperInvariant();
            if ((normalized.Length != 40 && normalized.Length != 64) || !normalized.All(Uri.IsHexDigit))
            {
                throw new E4UpgradeException(
                    ErrorIds.InvalidCertificateThumbprint,
                    ErrorCategoryNames.InvalidArgument,
                    "-TrustedCertificateThumbprint must be a certificate's SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint.");
            }

            return new TrustedCertificate(normalized);
        }

        /// <summary>True when the server's certificate passes the system's checks, or is this one and only its chain failed.</summary>
        public bool Accepts(X509Certificate2? certificate, SslPolicyErrors errors) =>
            errors == SslPolicyErrors.None
            || (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate != null && Matches(certificate));

        /// <summary>The transport for the Graph client: the platform handler, with this certificate trusted.</summary>
        public HttpMessageHandler CreateHandler() => new HttpClientHandler
        {
            // The Graph SDK's own RedirectHandler follows redirects (as in its default transport).
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => Accepts(certificate, errors),
        };

        private bool Matches(X509Certificate2 certificate)
        {
            if (_thumbprint.Length == 40)
            {
                return string.Equals(certificate.Thumbprint, _thumbprint, StringComparison.OrdinalIgnoreCase);
            }

            using (var sha256 = SHA256.Create())
            {
                var hash = sha256.ComputeHash(certificate.RawData);
                return string.Equals(BitConverter.ToString(hash).Replace("-", string.Empty), _thumbprint, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
