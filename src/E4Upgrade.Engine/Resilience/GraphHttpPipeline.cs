using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using E4Upgrade.Engine.Pacing;
using Microsoft.Graph;

namespace E4Upgrade.Engine.Resilience
{
    /// <summary>
    /// Builds the HttpClient behind every GraphServiceClient of the module.
    ///
    /// Resilience ownership (the single place it is configured):
    /// * The Graph SDK's default middleware is kept (telemetry, headers, parameter decoding), MINUS the Kiota
    ///   RedirectHandler (a redirect is refused by <see cref="RedirectRefusalHandler"/>, innermost) and the Kiota
    ///   RetryHandler. That handler sees only the outer $batch response, so the 429s Graph puts inside a 200
    ///   batch never reach it; it falls back to a fixed 3 s for a fractional Retry-After such as "2.128"; and it would
    ///   re-send a write batch whose outcome is unknown (a 504 after the writes were applied), which only the move
    ///   engine can decide to do after re-reading the users.
    /// * Reads are retried by <see cref="ReadRetryPipeline"/> (Polly), around each read call of the gateway.
    /// * Writes are sent once by the gateway; the move engine retries them (Moves/), item by item, after each item's
    ///   own Retry-After.
    /// * <see cref="RequestTimeoutHandler"/> bounds each exchange so a hung connection becomes status 0; the
    ///   HttpClient's own timeout is switched off so that there is one timeout, not two.
    /// * <see cref="ResourceUnitPacingHandler"/>, outermost, puts every call under the session's
    ///   <see cref="ResourceUnitBudget"/> (reads paced under the resource-unit quota, one pause for reads and writes).
    /// </summary>
    public static class GraphHttpPipeline
    {
        /// <param name="budget">The session's budget, shared with its gateway; null gives the client one of its own.</param>
        public static HttpClient CreateHttpClient(GraphResilienceOptions options, HttpMessageHandler? transport = null, ResourceUnitBudget? budget = null) =>
            CreateHttpClient(options, transport, budget, null);

        /// <param name="retryAfter">The session's one Retry-After reader, shared with its gateway (so both bound and log alike); null gives one of its own.</param>
        internal static HttpClient CreateHttpClient(GraphResilienceOptions options, HttpMessageHandler? transport, ResourceUnitBudget? budget, RetryAfterHeader? retryAfter)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            options.Validate();
            var handlers = CreateHandlers(options, budget, retryAfter);
            var client = GraphClientFactory.Create(handlers, finalHandler: transport);
            client.Timeout = Timeout.InfiniteTimeSpan;
            return client;
        }

        /// <summary>The middleware chain, outermost first.</summary>
        public static IList<DelegatingHandler> CreateHandlers(GraphResilienceOptions options, ResourceUnitBudget? budget = null) => CreateHandlers(options, budget, null);

        internal static IList<DelegatingHandler> CreateHandlers(GraphResilienceOptions options, ResourceUnitBudget? budget, RetryAfterHeader? retryAfter)
        {
            var handlers = GraphClientFactory.CreateDefaultHandlers(new GraphClientOptions())
                .Where(handler => !IsRetryHandler(handler) && !IsRedirectHandler(handler))
                .ToList();
            handlers.Insert(0, new RequestTimeoutHandler(options.RequestTimeout));
            handlers.Insert(0, new ResourceUnitPacingHandler(
                budget ?? new ResourceUnitBudget(null, new SystemClock()),
                retryAfter ?? new RetryAfterHeader(options.MaxRetryAfter)));
            handlers.Add(new RedirectRefusalHandler());
            return handlers;
        }

        private static bool IsRetryHandler(DelegatingHandler handler) =>
            handler is Microsoft.Kiota.Http.HttpClientLibrary.Middleware.RetryHandler
            || string.Equals(handler.GetType().Name, "RetryHandler", StringComparison.Ordinal);

        private static bool IsRedirectHandler(DelegatingHandler handler) =>
            handler is Microsoft.Kiota.Http.HttpClientLibrary.Middleware.RedirectHandler
            || string.Equals(handler.GetType().Name, "RedirectHandler", StringComparison.Ordinal);
    }
}
