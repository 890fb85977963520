using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace E4Upgrade.GraphSimulator.Hosting;

/// <summary>
/// The self-signed TLS certificate --https serves, made at start and never stored: ECDSA P-256, subject
/// "CN=E4Upgrade Graph simulator", names 127.0.0.1, ::1 and localhost, server authentication only, valid from five
/// minutes ago for 7 days. Clients trust exactly this certificate by its thumbprint (printed at start and served at
/// /_simulator/certificate); nothing here makes a client skip TLS checks.
/// </summary>
internal static class SimulatorCertificate
{
    public static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=E4Upgrade Graph simulator", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));

        // Through PKCS#12 so that the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>SHA-256 of the certificate, upper-case hex (the SHA-1 one is <see cref="X509Certificate2.Thumbprint"/>).</summary>
    public static string Sha256Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>True when <paramref name="candidate"/> is this very certificate (same bytes).</summary>
    public static bool IsSame(X509Certificate2 expected, X509Certificate? candidate) =>
        candidate is not null && expected.RawDataMemory.Span.SequenceEqual(candidate.GetRawCertData());
}
