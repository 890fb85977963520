using System;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>
    /// Decides which Graph endpoints the module may talk to: absolute; https, or plain http only to a loopback host
    /// (127.0.0.1, ::1, localhost: the simulator); no credentials, query or fragment in the URI; the path ends with the
    /// version segment (/v1.0, /beta). Violations throw <see cref="E4UpgradeException"/> with
    /// <see cref="ErrorIds.InvalidGraphEndpoint"/>.
    /// </summary>
    public static class GraphEndpointPolicy
    {
        private static readonly Regex VersionSegment = new Regex(@"^(v\d+\.\d+|beta)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>Validates the endpoint and returns it without a trailing slash.</summary>
        public static Uri Validate(Uri? endpoint)
        {
            if (endpoint == null)
            {
                throw Invalid("No Graph endpoint was given.");
            }

            if (!endpoint.IsAbsoluteUri)
            {
                throw Invalid($"The Graph endpoint '{endpoint.OriginalString}' is not an absolute URI; give the service root such as https://graph.microsoft.com/v1.0.");
            }

            var shown = endpoint.GetLeftPart(UriPartial.Path);
            if (!string.IsNullOrEmpty(endpoint.UserInfo))
            {
                throw Invalid("The Graph endpoint must not carry a user name or password.");
            }

            var isHttps = string.Equals(endpoint.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase);
            var isHttp = string.Equals(endpoint.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase);
            if (!isHttps && !isHttp)
            {
                throw Invalid($"The Graph endpoint '{shown}' uses the scheme '{endpoint.Scheme}'; only https is allowed.");
            }

            if (isHttp && !IsLoopbackHost(endpoint))
            {
                throw Invalid($"The Graph endpoint '{shown}' uses plain http; http is allowed only for loopback hosts (127.0.0.1, ::1, localhost). Use https.");
            }

            if (!string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment))
            {
                throw Invalid($"The Graph endpoint '{shown}' must not have a query string or fragment.");
            }

            var segments = endpoint.AbsolutePath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length == 0 || !VersionSegment.IsMatch(segments.Last()))
            {
                throw Invalid($"The Graph endpoint '{shown}' has no version segment; it must end with the API version, such as /v1.0 or /beta.");
            }

            return new Uri(shown.TrimEnd('/'), UriKind.Absolute);
        }

        /// <summary>True for 127.0.0.0/8, ::1 and localhost.</summary>
        public static bool IsLoopbackHost(Uri uri)
        {
            if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
            return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
        }

        /// <summary>True when the URI is on the same scheme, host and port as the endpoint (where nextLinks and tokens may go).</summary>
        public static bool IsSameOrigin(Uri endpoint, Uri candidate) =>
            candidate.IsAbsoluteUri
            && string.Equals(endpoint.Scheme, candidate.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(endpoint.Host, candidate.Host, StringComparison.OrdinalIgnoreCase)
            && endpoint.Port == candidate.Port;

        private static E4UpgradeException Invalid(string message) =>
            new E4UpgradeException(ErrorIds.InvalidGraphEndpoint, ErrorCategoryNames.InvalidArgument, message);
    }
}
