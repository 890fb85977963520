using System;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Microsoft.Kiota.Abstractions;
using Polly.Retry;

namespace E4Upgrade.Engine.Resilience
{
    /// <summary>
    /// The one retry pipeline for Graph reads (GET calls and read-only $batch posts): 429, 500, 502, 503, 504,
    /// timeouts and broken connections (<see cref="RetryClassifier"/>) are retried after Graph's Retry-After
    /// (<see cref="RetryAfterHeader"/>), otherwise after the <see cref="Backoff"/>, a bounded number of times. Writes never pass through here:
    /// the move engine owns write retries because only it can re-read a user before repeating a write whose outcome
    /// is unknown.
    /// </summary>
    internal sealed class ReadRetryPipeline
    {
        private readonly ResiliencePipeline _pipeline;

        public ReadRetryPipeline(GraphResilienceOptions options, RetryAfterHeader retryAfter, Action<string>? verbose = null)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            options.Validate();
            MaxRetries = options.MaxReadRetries;
            _pipeline = MaxRetries == 0 ? ResiliencePipeline.Empty : Build(options, retryAfter ?? throw new ArgumentNullException(nameof(retryAfter)), verbose);
        }

        public int MaxRetries { get; }

        public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> read, string operation, CancellationToken cancellationToken)
        {
            var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
            try
            {
                return await _pipeline.ExecuteAsync(
                    static async (ctx, call) => await call(ctx.CancellationToken).ConfigureAwait(false),
                    context,
                    read).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        private static ResiliencePipeline Build(GraphResilienceOptions options, RetryAfterHeader retryAfterHeader, Action<string>? verbose)
        {
            var maxRetries = options.MaxReadRetries;
            var backoff = new Backoff(options.BaseDelay, options.MaxBackoffDelay);
            return new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = maxRetries,
                    ShouldHandle = args => new ValueTask<bool>(
                        RetryClassifier.IsTransient(args.Outcome.Exception, args.Context.CancellationToken)),
                    DelayGenerator = args => new ValueTask<TimeSpan?>(
                        backoff.After(args.AttemptNumber + 1, RetryAfterOf(args.Outcome.Exception, retryAfterHeader))),
                    OnRetry = args =>
                    {
                        if (verbose != null && args.Outcome.Exception != null)
                        {
                            verbose($"{args.Context.OperationKey}: {RetryClassifier.Describe(args.Outcome.Exception)}; "
                                + $"retry {args.AttemptNumber + 1} of {maxRetries} in {args.RetryDelay.TotalSeconds:0.###} s.");
                        }

                        return default;
                    },
                })
                .Build();
        }

        private static TimeSpan? RetryAfterOf(Exception? exception, RetryAfterHeader header) =>
            exception is ApiException api
                ? header.Read(GraphResponseHeaders.Find(api.ResponseHeaders, GraphResponseHeaders.RetryAfter), DateTimeOffset.UtcNow)
                : null;
    }
}
