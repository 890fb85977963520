using System;

namespace E4Upgrade.Engine.Resilience
{
    /// <summary>Limits of the read retry pipeline and the per-request timeout.</summary>
    public sealed class GraphResilienceOptions
    {
        /// <summary>Longest one HTTP request may take, response body included; past it the request counts as unanswered (status 0).</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>Retries of one read after its first attempt.</summary>
        public int MaxReadRetries { get; set; } = 5;

        /// <summary>First backoff delay when Graph sent no Retry-After; doubles per attempt.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Ceiling of the exponential backoff.</summary>
        public TimeSpan MaxBackoffDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Ceiling applied to every Retry-After Graph asks for, reads and writes alike (see <see cref="RetryAfterHeader"/>).</summary>
        public TimeSpan MaxRetryAfter { get; set; } = RetryAfterHeader.DefaultMax;

        /// <summary>
        /// Most pages one listing follows before it stops with <see cref="ErrorIds.TooManyPages"/>. "Microsoft Entra
        /// service limits and restrictions" puts a tenant's default quota at 50,000 objects (300,000 with a verified
        /// domain, more on request); 10,000 pages of 999 are about 10 million objects, far past any tenant, so only a
        /// paging loop reaches it (our choice).
        /// </summary>
        public int MaxPages { get; set; } = 10_000;

        internal void Validate()
        {
            if (MaxPages < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxPages), "MaxPages must be at least 1.");
            }

            if (RequestTimeout <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(RequestTimeout), "RequestTimeout must be positive.");
            }

            if (MaxReadRetries < 0 || MaxReadRetries > 20)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxReadRetries), "MaxReadRetries must be between 0 and 20.");
            }

            if (BaseDelay < TimeSpan.Zero || MaxBackoffDelay < TimeSpan.Zero || MaxRetryAfter < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(BaseDelay), "Delays must not be negative.");
            }
        }
    }
}
