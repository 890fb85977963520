using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>Finds a certificate with a private key by thumbprint in CurrentUser\My, then LocalMachine\My.</summary>
    public static class CertificateStoreLookup
    {
        public static X509Certificate2 FindByThumbprint(string thumbprint)
        {
            var normalized = Normalize(thumbprint);
            if (normalized.Length == 0)
            {
                throw new E4UpgradeException(ErrorIds.AuthenticationFailed, ErrorCategoryNames.InvalidArgument, "The certificate thumbprint is empty.");
            }

            foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                var found = TryFind(location, normalized);
                if (found != null)
                {
                    if (!found.HasPrivateKey)
                    {
                        throw new E4UpgradeException(
                            ErrorIds.AuthenticationFailed,
                            ErrorCategoryNames.InvalidArgument,
                            $"The certificate {normalized} in {location}\\My has no private key; app sign-in needs one.");
                    }

                    return found;
                }
            }

            throw new E4UpgradeException(
                ErrorIds.AuthenticationFailed,
                ErrorCategoryNames.ObjectNotFound,
                $"No certificate with thumbprint {normalized} was found in CurrentUser\\My or LocalMachine\\My.");
        }

        internal static string Normalize(string? thumbprint)
        {
            if (thumbprint == null)
            {
                return "";
            }

            var chars = new System.Text.StringBuilder(thumbprint.Length);
            foreach (var c in thumbprint)
            {
                if (Uri.IsHexDigit(c))
                {
                    chars.Append(char.ToUpperInvariant(c));
                }
            }

            return chars.ToString();
        }

        private static X509Certificate2? TryFind(StoreLocation location, string thumbprint)
        {
            try
            {
                using var store = new X509Store(StoreName.My, location);
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                var matches = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
                return matches.Count > 0 ? matches[0] : null;
            }
            catch (CryptographicException)
            {
                // The store does not exist or cannot be opened on this platform (LocalMachine\My on Linux).
                return null;
            }
            catch (PlatformNotSupportedException)
            {
                return null;
            }
        }
    }
}
