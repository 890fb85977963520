using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>An answer from Graph, either a top-level response or one item of a $batch: status, headers, JSON body.</summary>
    internal sealed class GraphResponse
    {
        public GraphResponse(int status, IReadOnlyDictionary<string, string> headers, JsonElement? body)
        {
            Status = status;
            Headers = headers;
            Body = body;
        }

        public int Status { get; }

        /// <summary>First value of each header; names compared case-insensitively.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        /// <summary>The JSON body (cloned, independent of any document); null when there was none or it was not JSON.</summary>
        public JsonElement? Body { get; }

        public bool IsSuccess => Resilience.RetryClassifier.IsSuccess(Status);

        public GraphErrorBody? Error => GraphErrorBody.From(Body);

        public static Dictionary<string, string> NewHeaderMap() => new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>An HTTP response's headers and content headers, first value of each, by case-insensitive name.</summary>
        public static IReadOnlyDictionary<string, string> HeadersOf(HttpResponseMessage response)
        {
            var headers = NewHeaderMap();
            foreach (var header in response.Headers)
            {
                headers[header.Key] = header.Value.FirstOrDefault() ?? "";
            }

            if (response.Content != null)
            {
                foreach (var header in response.Content.Headers)
                {
                    headers[header.Key] = header.Value.FirstOrDefault() ?? "";
                }
            }

            return headers;
        }
    }
}
