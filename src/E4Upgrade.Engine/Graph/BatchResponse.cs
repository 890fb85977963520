using System;
using System.Collections.Generic;
using System.Text.Json;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>The outer $batch answer and its items keyed by request id (Graph treats ids case-insensitively).</summary>
    internal sealed class BatchResponse
    {
        private BatchResponse(GraphResponse outer, IReadOnlyDictionary<string, GraphResponse> items, bool unreadable)
        {
            Outer = outer;
            Items = items;
            Unreadable = unreadable;
        }

        public GraphResponse Outer { get; }

        public IReadOnlyDictionary<string, GraphResponse> Items { get; }

        /// <summary>True when a 2xx answer's body was not a readable batch response: the items' outcomes are unknown.</summary>
        public bool Unreadable { get; }

        /// <summary>Parses a $batch answer. Never throws: an unreadable success body is reported through <see cref="Unreadable"/>.</summary>
        public static BatchResponse Parse(int status, IReadOnlyDictionary<string, string> headers, string? text)
        {
            JsonDocument? document = null;
            try
            {
                if (!string.IsNullOrWhiteSpace(text))
                {
                    document = JsonDocument.Parse(text!);
                }
            }
            catch (JsonException)
            {
                document = null;
            }

            using (document)
            {
                var root = document?.RootElement.Clone();
                var outer = new GraphResponse(status, headers, root);
                if (!Resilience.RetryClassifier.IsSuccess(status))
                {
                    return new BatchResponse(outer, new Dictionary<string, GraphResponse>(), unreadable: false);
                }

                var items = new Dictionary<string, GraphResponse>(StringComparer.OrdinalIgnoreCase);
                if (root == null
                    || root.Value.ValueKind != JsonValueKind.Object
                    || !root.Value.TryGetProperty("responses", out var responses)
                    || responses.ValueKind != JsonValueKind.Array)
                {
                    return new BatchResponse(outer, items, unreadable: true);
                }

                foreach (var response in responses.EnumerateArray())
                {
                    var item = ParseItem(response, out var id);
                    if (item != null && id != null && !items.ContainsKey(id))
                    {
                        items.Add(id, item);
                    }
                }

                return new BatchResponse(outer, items, unreadable: false);
            }
        }

        private static GraphResponse? ParseItem(JsonElement response, out string? id)
        {
            id = null;
            if (response.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (response.TryGetProperty("id", out var idElement))
            {
                id = idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : idElement.GetRawText();
            }

            var status = 0;
            if (response.TryGetProperty("status", out var statusElement))
            {
                if (statusElement.ValueKind == JsonValueKind.Number)
                {
                    statusElement.TryGetInt32(out status);
                }
                else if (statusElement.ValueKind == JsonValueKind.String)
                {
                    int.TryParse(statusElement.GetString(), out status);
                }
            }

            var headers = GraphResponse.NewHeaderMap();
            if (response.TryGetProperty("headers", out var headerElement) && headerElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in headerElement.EnumerateObject())
                {
                    headers[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() ?? "" : header.Value.GetRawText();
                }
            }

            JsonElement? body = null;
            if (response.TryGetProperty("body", out var bodyElement) && bodyElement.ValueKind != JsonValueKind.Null)
            {
                body = bodyElement.Clone();
            }

            return new GraphResponse(status, headers, body);
        }
    }
}
