using System;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace E4Upgrade.GraphSimulator.Hosting;

/// <summary>
/// The certificate a simulator process serves with --https, learnt from the TLS handshake of one call to
/// /_simulator/certificate and accepted only if its SHA-1 thumbprint is the one the process printed at start.
/// </summary>
internal static class ServedCertificate
{
    public static async Task<X509Certificate2> FetchAsync(Uri rootUrl, string printedThumbprint, CancellationToken cancellationToken)
    {
        X509Certificate2? presented = null;
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || !string.Equals(new X509Certificate2(certificate).Thumbprint, printedThumbprint, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return errors is SslPolicyErrors.None or SslPolicyErrors.RemoteCertificateChainErrors;
        };
        using var http = new HttpClient(handler) { BaseAddress = rootUrl, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri("_simulator/certificate", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return presented ?? throw new InvalidOperationException("The simulator presented no certificate.");
    }
}
