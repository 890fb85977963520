using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>
    /// Sends SDK-built requests through the GraphServiceClient's request adapter (authentication, middleware) and
    /// hands back the raw answer instead of throwing on non-2xx, so that the caller sees the status and headers of
    /// every answer.
    ///
    /// $batch: equivalent to BatchRequestContentCollection + client.Batch.PostAsync, which cannot be used here: its
    /// content un-escapes each step URL (Uri.UnescapeDataString), so a guest UPN "x#EXT#@..." becomes a URL fragment,
    /// and PostAsync throws on an outer non-2xx and never exposes the outer headers (x-ms-throttle-limit-percentage).
    /// Steps are built from the SDK's own request builders; only the $batch envelope is written here.
    /// </summary>
    internal sealed class GraphRequestSender
    {
        public const int MaxBatchSize = 20;

        private readonly GraphServiceClient _client;
        private readonly Uri _serviceRoot;

        public GraphRequestSender(GraphServiceClient client, Uri serviceRoot)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _serviceRoot = serviceRoot ?? throw new ArgumentNullException(nameof(serviceRoot));
        }

        /// <summary>Turns a request built by the SDK (e.g. client.Users[id].AssignLicense.ToPostRequestInformation) into a batch step.</summary>
        public async Task<BatchStep> ToStepAsync(string id, RequestInformation request, CancellationToken cancellationToken)
        {
            request.PathParameters["baseurl"] = _serviceRoot.AbsoluteUri.TrimEnd('/');
            var relative = BatchUrls.ToRelative(request.URI, _serviceRoot);
            byte[]? body = null;
            if (request.Content != null)
            {
                using var buffer = new MemoryStream();
                await request.Content.CopyToAsync(buffer, 81920, cancellationToken).ConfigureAwait(false);
                body = buffer.Length > 0 ? buffer.ToArray() : null;
            }

            return new BatchStep(id, request.HttpMethod.ToString(), relative, body);
        }

        /// <summary>Posts up to 20 steps as one $batch. Throws only when no answer came (timeout, connection) or sign-in failed.</summary>
        public async Task<BatchResponse> PostBatchAsync(IReadOnlyList<BatchStep> steps, CancellationToken cancellationToken)
        {
            if (steps.Count == 0 || steps.Count > MaxBatchSize)
            {
                throw new ArgumentOutOfRangeException(nameof(steps), $"A $batch holds 1 to {MaxBatchSize} requests.");
            }

            var request = new RequestInformation
            {
                HttpMethod = Method.POST,
                UrlTemplate = "{+baseurl}/$batch",
            };
            request.SetStreamContent(BatchContentWriter.Write(steps), "application/json");
            request.Headers.TryAdd("Accept", "application/json");
            var exchange = new BatchExchange(steps);
            request.AddRequestOptions(new IRequestOption[] { exchange });
            using var response = await SendRawAsync(request, cancellationToken).ConfigureAwait(false);
            if (exchange.Answer != null)
            {
                return exchange.Answer; // parsed once, by the resource-unit handler on the way back
            }

            var text = response.Content == null ? null : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return BatchResponse.Parse((int)response.StatusCode, GraphResponse.HeadersOf(response), text);
        }

        /// <summary>Sends one request; the answer's status, headers and JSON body whatever the status.</summary>
        public async Task<GraphResponse> SendAsync(RequestInformation request, CancellationToken cancellationToken)
        {
            using var response = await SendRawAsync(request, cancellationToken).ConfigureAwait(false);
            var text = response.Content == null ? null : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return new GraphResponse((int)response.StatusCode, GraphResponse.HeadersOf(response), ParseJson(text));
        }

        private async Task<HttpResponseMessage> SendRawAsync(RequestInformation request, CancellationToken cancellationToken)
        {
            var native = new NativeResponseHandler();
            request.AddRequestOptions(new IRequestOption[] { new ResponseHandlerOption { ResponseHandler = native } });
            await _client.RequestAdapter.SendNoContentAsync(request, null, cancellationToken).ConfigureAwait(false);
            return native.Value as HttpResponseMessage
                ?? throw new HttpRequestException("Graph returned no HTTP response.");
        }


        private static JsonElement? ParseJson(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(text!);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
