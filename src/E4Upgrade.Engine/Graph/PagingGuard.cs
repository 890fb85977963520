using System;
using System.Collections.Generic;
using E4Upgrade.Engine.Connection;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>
    /// Decides, for one listing, whether the next @odata.nextLink may be followed: it must stay under the service root
    /// (same scheme, host and port, and a path under the root's, e.g. /v1.0/), since the bearer token goes with it;
    /// a link seen before would page forever; and no listing follows more than the page cap. "Paging Microsoft Graph
    /// data in your app": the nextLink is an opaque URL to the next page of the same collection, so anything else is
    /// not Graph's answer and paging stops with an error rather than with a list cut short.
    /// </summary>
    internal sealed class PagingGuard
    {
        private readonly Uri _serviceRoot;
        private readonly string _rootPath;
        private readonly int _maxPages;
        private readonly string _operation;
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);

        public PagingGuard(Uri serviceRoot, int maxPages, string operation)
        {
            _serviceRoot = serviceRoot ?? throw new ArgumentNullException(nameof(serviceRoot));
            _rootPath = serviceRoot.AbsolutePath.TrimEnd('/') + "/";
            _maxPages = maxPages;
            _operation = operation;
        }

        /// <summary>Pages read so far (the first included).</summary>
        public int Pages { get; private set; } = 1;

        /// <summary>Throws <see cref="E4UpgradeException"/> unless the link may be followed; counts it as the next page.</summary>
        public Uri Follow(string link)
        {
            if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || !GraphEndpointPolicy.IsSameOrigin(_serviceRoot, uri))
            {
                throw Refused(ErrorCategoryNames.SecurityError,
                    $"Graph returned an @odata.nextLink to another host ({uri?.Host ?? "(not an absolute URL)"}) than the connected endpoint ({_serviceRoot.Host}); it was not followed.");
            }

            // AbsolutePath has its dot segments resolved, so /v1.0/../_simulator/x is seen as /_simulator/x.
            if (!uri.AbsolutePath.StartsWith(_rootPath, StringComparison.OrdinalIgnoreCase))
            {
                throw Refused(ErrorCategoryNames.SecurityError,
                    $"Graph returned an @odata.nextLink outside the service root ({uri.AbsolutePath} is not under {_rootPath}); it was not followed.");
            }

            if (!_seen.Add(uri.AbsoluteUri))
            {
                throw Refused(ErrorCategoryNames.InvalidResult,
                    $"Graph returned an @odata.nextLink it had returned before (page {Pages + 1}); following it would page forever, so the listing stopped.");
            }

            if (Pages >= _maxPages)
            {
                throw new E4UpgradeException(ErrorIds.TooManyPages, ErrorCategoryNames.LimitsExceeded,
                    $"{_operation}: stopped after {_maxPages} pages; no tenant needs that many, so Graph's paging is taken to loop.");
            }

            Pages++;
            return uri;
        }

        private E4UpgradeException Refused(ErrorCategoryNames category, string message) =>
            new E4UpgradeException(ErrorIds.NextLinkRefused, category, $"{_operation}: {message}");
    }
}
