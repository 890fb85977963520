using System;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace E4Upgrade.Engine.Resilience
{
    /// <summary>
    /// The one retry pipeline for Graph reads (GET calls and read-only $batch posts): 429, 500, 502, 503, 504,
    /// timeouts and broken connections are retried after Graph's Retry-After (integer, fractional or HTTP-date),
    /// otherwise after exponential backoff with jitter, a bounded number of times. Writes never pass through here:
    /// the move engine owns write retries because only it can re-read a user before repeating a write whose outcome
    /// is unknown.
    /// </summary>
    public sealed class ReadRetryPipeline
    {
        private readonly ResiliencePipeline _pipeline;

        public ReadRetryPipeline(GraphResilienceOptions options, Action<string>? verbose = null)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            options.Validate();
            MaxRetries = options.MaxReadRetries;
            _pipeline = MaxRetries == 0 ? ResiliencePipeline.Empty : Build(options, verbose);
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

        private static ResiliencePipeline Build(GraphResilienceOptions options, Action<string>? verbose)
        {
            var maxRetryAfter = options.MaxRetryAfter;
            var maxRetries = options.MaxReadRetries;
            return new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = maxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.BaseDelay,
                    MaxDelay = options.MaxBackoffDelay,
                    ShouldHandle = args => new ValueTask<bool>(
                        TransientFailures.IsTransient(args.Outcome.Exception, args.Context.CancellationToken)),
                    DelayGenerator = args =>
                    {
                        var retryAfter = TransientFailures.RetryAfterOf(args.Outcome.Exception, DateTimeOffset.UtcNow);
                        if (retryAfter.HasValue && retryAfter.Value > maxRetryAfter)
                        {
                            retryAfter = maxRetryAfter;
                        }

                        return new ValueTask<TimeSpan?>(retryAfter);
                    },
                    OnRetry = args =>
                    {
                        if (verbose != null && args.Outcome.Exception != null)
                        {
                            verbose($"{args.Context.OperationKey}: {TransientFailures.Describe(args.Outcome.Exception)}; "
                                + $"retry {args.AttemptNumber + 1} of {maxRetries} in {args.RetryDelay.TotalSeconds:0.###} s.");
                        }

                        return default;
                    },
                })
                .Build();
        }
    }
}
