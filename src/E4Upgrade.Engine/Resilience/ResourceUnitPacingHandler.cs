using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Pacing;
using Microsoft.Kiota.Http.HttpClientLibrary.Extensions;

namespace E4Upgrade.Engine.Resilience
{
    /// <summary>
    /// Puts every HTTP call of a session under its <see cref="ResourceUnitBudget"/>: before a call goes, its reads wait
    /// for their resource units and everything waits out a pause; after it, each answer (the call's, or each $batch
    /// item's) tells the budget what the reads cost and which 429s hold the session. It sits outside the request
    /// timeout, so waiting for the budget never counts as Graph being slow.
    /// </summary>
    internal sealed class ResourceUnitPacingHandler : DelegatingHandler
    {
        private readonly ResourceUnitBudget _budget;
        private readonly ResourceUnitCost _costs = new ResourceUnitCost();
        private readonly RetryAfterHeader _retryAfter;

        public ResourceUnitPacingHandler(ResourceUnitBudget budget, RetryAfterHeader retryAfter)
        {
            _budget = budget ?? throw new ArgumentNullException(nameof(budget));
            _retryAfter = retryAfter ?? throw new ArgumentNullException(nameof(retryAfter));
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var calls = await CallsOfAsync(request).ConfigureAwait(false);
            var readCost = calls.Where(call => call.IsRead).Sum(call => call.Cost);
            if (readCost > 0)
            {
                await _budget.WaitForReadAsync(readCost, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _budget.WaitForWriteAsync(cancellationToken).ConfigureAwait(false);
            }

            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var batch = await ObserveAsync(calls, response).ConfigureAwait(false);
            var exchange = request.GetRequestOption<BatchExchange>();
            if (exchange != null)
            {
                exchange.Answer = batch;
            }

            return response;
        }

        /// <summary>
        /// The Graph calls a request carries: itself, or the items of a $batch (the envelope costs nothing). A $batch
        /// built by <see cref="GraphRequestSender"/> names its steps (<see cref="BatchExchange"/>); only another's body is parsed.
        /// </summary>
        private async Task<IReadOnlyList<Call>> CallsOfAsync(HttpRequestMessage request)
        {
            var (path, query) = Split(request.RequestUri);
            if (!IsBatch(path))
            {
                return new[] { NewCall(null, request.Method.Method, path, query) };
            }

            var exchange = request.GetRequestOption<BatchExchange>();
            if (exchange != null)
            {
                return exchange.Steps.Select(step => NewCall(step.Id, step.Method, PathOf(step.RelativeUrl), QueryOf(step.RelativeUrl))).ToList();
            }

            if (request.Content == null)
            {
                return Array.Empty<Call>();
            }

            await request.Content.LoadIntoBufferAsync().ConfigureAwait(false);
            var text = await request.Content.ReadAsStringAsync().ConfigureAwait(false);
            var calls = new List<Call>();
            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("requests", out var requests)
                    && requests.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in requests.EnumerateArray())
                    {
                        var id = Text(item, "id");
                        var method = Text(item, "method") ?? "GET";
                        var url = Text(item, "url") ?? "";
                        calls.Add(NewCall(id, method, PathOf(url), QueryOf(url)));
                    }
                }
            }
            catch (JsonException)
            {
                // Not ours to judge: Graph answers a malformed batch with a 400.
            }

            return calls;
        }

        private static string PathOf(string url)
        {
            var queryStart = url.IndexOf('?');
            return queryStart < 0 ? url : url.Substring(0, queryStart);
        }

        private static string? QueryOf(string url)
        {
            var queryStart = url.IndexOf('?');
            return queryStart < 0 ? null : url.Substring(queryStart + 1);
        }

        private Call NewCall(string? id, string method, string path, string? query)
        {
            var relative = WithoutVersion(path);
            return new Call(id, method, relative, query, _costs.Estimate(method, relative, query));
        }

        /// <summary>Tells the budget what the answer says; a $batch answer's parse (2xx with a body), or null.</summary>
        private async Task<BatchResponse?> ObserveAsync(IReadOnlyList<Call> calls, HttpResponseMessage response)
        {
            var headers = GraphResponse.HeadersOf(response);
            var status = (int)response.StatusCode;
            if (calls.Count == 1 && calls[0].Id == null)
            {
                Observe(calls[0], status, headers);
                return null;
            }

            if (!RetryClassifier.IsSuccess(status) || response.Content == null)
            {
                // The whole $batch was refused or failed: what it says holds for its items together.
                if (calls.Count > 0)
                {
                    _budget.Answered(calls.All(c => c.IsRead), status, RetryAfterOf(headers), Find(headers, GraphResponseHeaders.ThrottleInformation), Percentage(headers));
                }

                return null;
            }

            var batch = BatchResponse.Parse(status, headers, await response.Content.ReadAsStringAsync().ConfigureAwait(false));
            foreach (var call in calls)
            {
                if (call.Id != null && batch.Items.TryGetValue(call.Id, out var item))
                {
                    Observe(call, item.Status, item.Headers);
                }
            }

            return batch;
        }

        private void Observe(Call call, int status, IReadOnlyDictionary<string, string> headers)
        {
            if (call.IsRead && int.TryParse(Find(headers, GraphResponseHeaders.ResourceUnit), out var reported) && reported >= 1)
            {
                _costs.Reported(call.Method, call.Path, call.Query, reported);
                _budget.ReadCharged(call.Cost, reported);
            }

            _budget.Answered(call.IsRead, status, RetryAfterOf(headers), Find(headers, GraphResponseHeaders.ThrottleInformation), Percentage(headers));
        }

        private TimeSpan? RetryAfterOf(IReadOnlyDictionary<string, string> headers) =>
            _retryAfter.Read(Find(headers, GraphResponseHeaders.RetryAfter), DateTimeOffset.UtcNow);

        private static double? Percentage(IReadOnlyDictionary<string, string> headers) =>
            GraphResponseHeaders.ParseThrottleLimitPercentage(Find(headers, GraphResponseHeaders.ThrottleLimitPercentage));

        private static string? Find(IReadOnlyDictionary<string, string> headers, string name) =>
            headers.TryGetValue(name, out var value) ? value : null;


        private static (string Path, string? Query) Split(Uri? uri)
        {
            if (uri == null)
            {
                return ("", null);
            }

            var query = uri.Query;
            return (uri.AbsolutePath, string.IsNullOrEmpty(query) ? null : query.Substring(1));
        }

        private static bool IsBatch(string path) =>
            path.EndsWith("/$batch", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/%24batch", StringComparison.OrdinalIgnoreCase);

        /// <summary>"/v1.0/users/x" and "users/x" both become "users/x".</summary>
        private static string WithoutVersion(string path)
        {
            var trimmed = path.TrimStart('/');
            var slash = trimmed.IndexOf('/');
            var first = slash < 0 ? trimmed : trimmed.Substring(0, slash);
            var isVersion = string.Equals(first, "v1.0", StringComparison.OrdinalIgnoreCase) || string.Equals(first, "beta", StringComparison.OrdinalIgnoreCase);
            return isVersion ? (slash < 0 ? "" : trimmed.Substring(slash + 1)) : trimmed;
        }

        private static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private sealed class Call
        {
            public Call(string? id, string method, string path, string? query, int cost)
            {
                Id = id;
                Method = method;
                Path = path;
                Query = query;
                Cost = cost;
            }

            public string? Id { get; }
            public string Method { get; }
            public string Path { get; }
            public string? Query { get; }
            public int Cost { get; }
            public bool IsRead => string.Equals(Method, "GET", StringComparison.OrdinalIgnoreCase);
        }
    }
}
