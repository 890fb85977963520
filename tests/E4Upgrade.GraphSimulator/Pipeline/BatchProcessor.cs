using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.GraphSimulator.Graph;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// POST /$batch: at most 20 items with unique ids (case-insensitive); each item is authorised, throttled, faulted
/// and delayed on its own, items without dependsOn run concurrently, and responses come back in a shuffled order.
/// </summary>
internal sealed class BatchProcessor
{
    public const int MaxRequests = 20;
    private readonly OperationPipeline pipeline;
    private readonly SimulatorCounters counters;
    private readonly SeededRandom order;

    public BatchProcessor(OperationPipeline pipeline, SimulatorCounters counters, int seed)
    {
        this.pipeline = pipeline;
        this.counters = counters;
        order = new SeededRandom(unchecked(seed + 2));
    }

    public async Task<GraphResponse> ExecuteAsync(JsonNode? body, string graphBaseUrl, Caller caller, CancellationToken cancellationToken)
    {
        var items = Parse(body, graphBaseUrl, out var error);
        if (items is null)
        {
            return error!;
        }

        var tasks = new Dictionary<string, Task<GraphResponse>>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            var dependencies = item.DependsOn.Select(d => tasks[d]).ToArray();
            tasks[item.Id] = RunItemAsync(item, dependencies, caller, cancellationToken);
        }

        var responses = await Task.WhenAll(items.Select(i => tasks[i.Id])).ConfigureAwait(false);
        var entries = items.Zip(responses, (item, response) => (JsonNode?)Entry(item.Id, response)).ToArray();
        order.Shuffle(entries);
        return GraphResponse.Ok(new JsonObject { ["responses"] = new JsonArray(entries) });
    }

    private async Task<GraphResponse> RunItemAsync(BatchItem item, Task<GraphResponse>[] dependencies, Caller caller, CancellationToken cancellationToken)
    {
        counters.CountBatchItem();
        foreach (var dependency in dependencies)
        {
            if (!(await dependency.ConfigureAwait(false)).IsSuccess)
            {
                return GraphErrors.Create(424, "FailedDependency", "The request could not be processed because a request it depends on failed.");
            }
        }

        if (item.Request.Segments is [var first, ..] && first.Equals("$batch", StringComparison.OrdinalIgnoreCase))
        {
            return GraphErrors.Create(400, "BadRequest", "Nested batch requests are not supported.");
        }

        return await pipeline.ExecuteAsync(item.Request, caller, allowDrop: false, cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject Entry(string id, GraphResponse response)
    {
        var headers = new JsonObject();
        if (response.Body is not null)
        {
            headers["Content-Type"] = "application/json";
        }

        foreach (var (name, value) in response.Headers)
        {
            headers[name] = value;
        }

        var entry = new JsonObject { ["id"] = id, ["status"] = response.Status, ["headers"] = headers };
        if (response.Body is not null)
        {
            entry["body"] = response.Body;
        }

        return entry;
    }

    private static List<BatchItem>? Parse(JsonNode? body, string graphBaseUrl, out GraphResponse? error)
    {
        error = null;
        if (body is not JsonObject envelope || envelope["requests"] is not JsonArray requests)
        {
            error = Invalid("Invalid batch payload format.");
            return null;
        }

        if (requests.Count == 0 || requests.Count > MaxRequests)
        {
            error = Invalid($"The batch request must contain between 1 and {MaxRequests} requests; it contains {requests.Count}.");
            return null;
        }

        var items = new List<BatchItem>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in requests)
        {
            if (node is not JsonObject request
                || Text(request["id"]) is not { Length: > 0 } id
                || Text(request["method"]) is not { Length: > 0 } method
                || Text(request["url"]) is not { Length: > 0 } url)
            {
                error = Invalid("Invalid batch payload format: every request needs an id, a method and a url.");
                return null;
            }

            if (!seen.Add(id))
            {
                error = Invalid($"Request Id {id} has to be unique in a batch.");
                return null;
            }

            if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.OrdinalIgnoreCase))
            {
                // Graph takes only relative urls in a batch: an absolute one refuses the whole batch (docs-contrib issue 8576:
                // 400 "Invalid batch payload format."; Graph's known issues: "URIs must be relative").
                error = Invalid(AbsoluteUrlMessage);
                return null;
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (request["headers"] is JsonObject headerObject)
            {
                foreach (var (name, value) in headerObject)
                {
                    headers[name] = Text(value) ?? string.Empty;
                }
            }

            var itemBody = request["body"];
            if (itemBody is not null && !headers.ContainsKey("Content-Type"))
            {
                error = Invalid($"Request {id}: a Content-Type header is required when a body is specified.");
                return null;
            }

            var dependsOn = request["dependsOn"] is JsonArray deps ? deps.Select(d => Text(d) ?? string.Empty).ToArray() : Array.Empty<string>();
            var unknown = dependsOn.FirstOrDefault(d => !seen.Contains(d) || string.Equals(d, id, StringComparison.OrdinalIgnoreCase));
            if (unknown is not null)
            {
                error = Invalid($"Request {id} depends on '{unknown}', which is not an earlier request of this batch.");
                return null;
            }

            items.Add(new BatchItem(id, dependsOn, new GraphRequest(method, RelativeUrl(url), itemBody?.DeepClone(), graphBaseUrl, headers)));
        }

        return items;
    }

    /// <summary>The whole batch's answer to an item with an absolute url (docs-contrib issue 8576).</summary>
    public const string AbsoluteUrlMessage = "Invalid batch payload format.";

    /// <summary>
    /// Accepts "/users/x" and "users/x" as paths relative to /v1.0. A path that repeats the version ("/v1.0/users") is
    /// routed as written, so its item answers 400 "Resource not found for the segment 'v1.0'." as Graph does
    /// (msgraph-sdk-javascript issue 1178).
    /// </summary>
    private static string RelativeUrl(string url) => url.StartsWith('/') ? url : "/" + url;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value
            ? value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()
            : null;

    private static GraphResponse Invalid(string message) => GraphErrors.Create(400, "BadRequest", message);

    private sealed record BatchItem(string Id, string[] DependsOn, GraphRequest Request);
}
