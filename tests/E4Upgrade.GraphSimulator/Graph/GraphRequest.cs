using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace E4Upgrade.GraphSimulator.Graph;

/// <summary>A Graph call, whether it arrived as its own HTTP request or as one item of a $batch.</summary>
internal sealed class GraphRequest
{
    private static readonly HashSet<string> SystemQueryOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        "top", "select", "filter", "skiptoken", "count", "orderby", "expand", "search", "skip",
    };

    public GraphRequest(string method, string relativeUrl, JsonNode? body, string graphBaseUrl, IReadOnlyDictionary<string, string>? headers = null)
    {
        Method = method.ToUpperInvariant();
        Body = body;
        GraphBaseUrl = graphBaseUrl.TrimEnd('/');
        Headers = headers ?? new Dictionary<string, string>();
        var queryStart = relativeUrl.IndexOf('?');
        var path = queryStart >= 0 ? relativeUrl[..queryStart] : relativeUrl;
        var query = queryStart >= 0 ? relativeUrl[(queryStart + 1)..] : string.Empty;
        Segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        RawQuery = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=');
                return eq >= 0 ? (pair[..eq], pair[(eq + 1)..]) : (pair, string.Empty);
            })
            .ToArray();
        foreach (var (rawKey, rawValue) in RawQuery)
        {
            var key = Decode(rawKey);
            if (!key.StartsWith('$') && SystemQueryOptions.Contains(key))
            {
                key = "$" + key;
            }

            Query[key] = Decode(rawValue);
        }
    }

    public string Method { get; }
    public string[] Segments { get; }
    public JsonNode? Body { get; }
    public string GraphBaseUrl { get; }
    public IReadOnlyDictionary<string, string> Headers { get; }
    public (string Key, string Value)[] RawQuery { get; }
    public Dictionary<string, string> Query { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string PathForLinks => string.Join('/', Segments.Select(Uri.EscapeDataString));

    public string? GetQuery(string name) => Query.GetValueOrDefault(name);

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
