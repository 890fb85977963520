using System;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Pacing
{
    /// <summary>Knobs of the adaptive write pacer. Defaults follow Graph's documented directory write quota.</summary>
    public sealed class PacerSettings
    {
        /// <summary>
        /// Write rate to start with: above Graph's sustained ceiling (3,000 / 150 s = 20/s) because the quota starts
        /// full; the percentage header takes over long before the first 3,000 are used.
        /// </summary>
        public double InitialWritesPerSecond { get; set; } = 50;
        public double MinWritesPerSecond { get; set; } = 1;
        public double MaxWritesPerSecond { get; set; } = 5000;
        /// <summary>Time for the rate to double while writes are unthrottled and the pacer is what holds them back.</summary>
        public TimeSpan RateDoublingTime { get; set; } = TimeSpan.FromMilliseconds(250);
        /// <summary>Factor applied to the rate on a 429 (at most once per round trip).</summary>
        public double ThrottledRateFactor { get; set; } = 0.5;
        public int MaxBatchesInFlight { get; set; } = 4;
        public int MaxBatchSize { get; set; } = 20;
        /// <summary>Writes per window in Graph's limit (x-ms-throttle-limit-percentage is a fraction of this).</summary>
        public int WriteLimit { get; set; } = 3000;
        /// <summary>The limit percentage to run at; writes beyond it wait until Graph reports the window draining.</summary>
        public double TargetLimitPercentage { get; set; } = 0.97;
        /// <summary>Above this percentage the rate stops growing.</summary>
        public double HoldRateAbovePercentage { get; set; } = 0.9;
        /// <summary>When at the target with nothing in flight, a one-write batch probes whether the window drained.</summary>
        public TimeSpan MinProbeInterval { get; set; } = TimeSpan.FromMilliseconds(50);
        public TimeSpan MaxProbeInterval { get; set; } = TimeSpan.FromMilliseconds(500);
        /// <summary>Retry-After assumed for a 429 that carries none (the one Graph sends is bounded by the gateway's RetryAfterHeader).</summary>
        public TimeSpan DefaultRetryAfter { get; set; } = RetryClassifier.DefaultThrottleWait;

        internal void Validate()
        {
            if (MinWritesPerSecond <= 0 || InitialWritesPerSecond < MinWritesPerSecond || MaxWritesPerSecond < InitialWritesPerSecond)
            {
                throw new ArgumentException("Pacer rates must satisfy 0 < min <= initial <= max.");
            }

            if (MaxBatchesInFlight < 1 || MaxBatchSize < 1 || MaxBatchSize > 20 || WriteLimit < 1)
            {
                throw new ArgumentException("Pacer needs at least one batch in flight, batches of 1 to 20 writes and a positive write limit.");
            }
        }
    }
}
