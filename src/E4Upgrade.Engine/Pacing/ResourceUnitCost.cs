using System;
using System.Collections.Concurrent;
using System.Globalization;

namespace E4Upgrade.Engine.Pacing
{
    /// <summary>
    /// What a Graph call costs in resource units before Graph says (x-ms-resource-unit), per Microsoft Graph
    /// service-specific throttling limits, "Identity and access service limits" (learn.microsoft.com/graph/throttling-limits):
    /// base costs GET users 2, subscribedSkus 3, users/{id}/licenseDetails 2, groups/{id}/members 3,
    /// groups/{id}/transitiveMembers 5, users/{id}/memberOf 2, POST directoryObjects/getByIds 5; any other GET 1; any
    /// POST, PATCH, PUT or DELETE 1 (plus 1 write); then $select -1, $top below 20 -1, $expand +1, never below 1.
    /// GET users/{id} is costed like GET users (2), the dearer reading of the table. Once Graph has reported the cost of
    /// a kind of call, that figure is used for the next ones of the same kind.
    /// </summary>
    internal sealed class ResourceUnitCost
    {
        private readonly ConcurrentDictionary<string, int> _reported = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);

        /// <summary>The cost to take before sending <paramref name="method"/> <paramref name="path"/>?<paramref name="query"/> (path relative to the version, e.g. "users/{id}").</summary>
        public int Estimate(string method, string path, string? query)
        {
            var kind = Kind(method, path, query);
            return _reported.TryGetValue(kind, out var reported) ? reported : Documented(method, path, query);
        }

        /// <summary>Graph said what a call of this kind cost.</summary>
        public void Reported(string method, string path, string? query, int resourceUnits)
        {
            if (resourceUnits >= 1)
            {
                _reported[Kind(method, path, query)] = resourceUnits;
            }
        }

        public static int Documented(string method, string path, string? query)
        {
            if (!IsGet(method))
            {
                return string.Equals(Shape(path), "directoryObjects/getByIds", StringComparison.OrdinalIgnoreCase) ? 5 : 1;
            }

            var cost = BaseReadCost(Shape(path));
            if (HasParameter(query, "$select"))
            {
                cost--;
            }

            if (TopBelow20(query))
            {
                cost--;
            }

            if (HasParameter(query, "$expand"))
            {
                cost++;
            }

            return Math.Max(1, cost);
        }

        private static int BaseReadCost(string shape)
        {
            switch (shape.ToLowerInvariant())
            {
                case "users":
                case "users/{id}":
                case "users/{id}/licensedetails":
                case "users/{id}/memberof":
                case "users/{id}/transitivememberof":
                case "users/{id}/ownedobjects":
                    return 2;
                case "subscribedskus":
                case "groups/{id}/members":
                    return 3;
                case "groups/{id}/transitivemembers":
                    return 5;
                default:
                    return 1;
            }
        }

        /// <summary>The path with the object key after a collection replaced by {id}: "users/a@b.com/licenseDetails" is "users/{id}/licenseDetails".</summary>
        internal static string Shape(string path)
        {
            var segments = path.Trim('/').Split('/');
            if (segments.Length > 1 && IsKeyedCollection(segments[0]))
            {
                segments[1] = "{id}";
            }

            return string.Join("/", segments);
        }

        private static bool IsKeyedCollection(string segment) =>
            string.Equals(segment, "users", StringComparison.OrdinalIgnoreCase)
            || string.Equals(segment, "groups", StringComparison.OrdinalIgnoreCase);

        private static string Kind(string method, string path, string? query) =>
            method.ToUpperInvariant() + " " + Shape(path).ToLowerInvariant()
            + (HasParameter(query, "$select") ? " select" : "")
            + (TopBelow20(query) ? " top<20" : "")
            + (HasParameter(query, "$expand") ? " expand" : "");

        private static bool IsGet(string method) => string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase);

        private static bool HasParameter(string? query, string name) => Parameter(query, name) != null;

        private static bool TopBelow20(string? query) =>
            int.TryParse(Parameter(query, "$top"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var top) && top < 20;

        /// <summary>The value of a query parameter ("$select" also matches the escaped "%24select"); null when absent.</summary>
        private static string? Parameter(string? query, string name)
        {
            if (string.IsNullOrEmpty(query))
            {
                return null;
            }

            foreach (var pair in query!.TrimStart('?').Split('&'))
            {
                var equals = pair.IndexOf('=');
                var key = (equals < 0 ? pair : pair.Substring(0, equals)).Replace("%24", "$");
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return equals < 0 ? "" : pair.Substring(equals + 1);
                }
            }

            return null;
        }
    }
}
