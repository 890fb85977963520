using System;
using System.Text;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>
    /// Turns an SDK-built absolute request URL into the relative URL of a $batch step. The escaping the SDK applied
    /// is kept (a UPN such as o'neil#EXT#@contoso.com stays o%27neil%23EXT%23%40contoso.com): the Graph SDK's own batch
    /// content un-escapes the whole URL, which turns '#' into a fragment and '%' into garbage. Only the OData
    /// parameter names are decoded ("%24select" to "$select"), as the SDK's ParametersNameDecodingHandler does for
    /// top-level requests.
    /// </summary>
    internal static class BatchUrls
    {
        public static string ToRelative(Uri absolute, Uri serviceRoot)
        {
            var root = serviceRoot.AbsoluteUri.TrimEnd('/');
            var url = absolute.AbsoluteUri;
            if (!url.StartsWith(root + "/", StringComparison.OrdinalIgnoreCase) && !url.StartsWith(root + "?", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"The request URL is not under the Graph service root {root}.", nameof(absolute));
            }

            var relative = url.Substring(root.Length);
            var queryStart = relative.IndexOf('?');
            if (queryStart < 0)
            {
                return relative;
            }

            return relative.Substring(0, queryStart + 1) + DecodeParameterNames(relative.Substring(queryStart + 1));
        }

        private static string DecodeParameterNames(string query)
        {
            var pairs = query.Split('&');
            var result = new StringBuilder(query.Length);
            for (var i = 0; i < pairs.Length; i++)
            {
                if (i > 0)
                {
                    result.Append('&');
                }

                var equals = pairs[i].IndexOf('=');
                var name = equals < 0 ? pairs[i] : pairs[i].Substring(0, equals);
                result.Append(name.Replace("%24", "$"));
                if (equals >= 0)
                {
                    result.Append(pairs[i], equals, pairs[i].Length - equals);
                }
            }

            return result.ToString();
        }
    }
}
