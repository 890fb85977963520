using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace E4Upgrade.Engine.Resilience
{
    /// <summary>
    /// Refuses every redirect (3xx) instead of following it. The calls this module makes (users, groups, subscribedSkus,
    /// directory/subscriptions, organization, $batch) answer with their result or an error; Graph documents redirects only
    /// for content downloads ("Download driveItem content": 302 Found to a pre-authenticated URL), which this module never
    /// requests. A redirect is therefore not Graph's answer (a proxy, a captive portal, a hostile endpoint): following it
    /// would send the request body (user keys, license changes) elsewhere and believe whatever came back.
    /// The innermost handler of <see cref="GraphHttpPipeline"/>, so it sees the transport's answer as it came.
    /// </summary>
    internal sealed class RedirectRefusalHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status < 300 || status >= 400)
            {
                return response;
            }

            var target = response.Headers.Location;
            response.Dispose();
            var where = target == null
                ? "no Location"
                : target.IsAbsoluteUri ? "to " + target.GetLeftPart(UriPartial.Authority) : "to a relative location";
            throw new E4UpgradeException(
                ErrorIds.GraphRedirectRefused,
                ErrorCategoryNames.SecurityError,
                $"{request.Method} {RequestTimeoutHandler.Describe(request.RequestUri)} was answered with HTTP {status} ({where}). "
                + "Graph does not redirect these calls, so the answer is not Graph's (check proxies between this machine and Graph); the redirect was not followed.")
            {
                HttpStatus = status,
            };
        }
    }
}
